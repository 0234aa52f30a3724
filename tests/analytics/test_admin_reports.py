"""The analytics reports in the Wagtail admin: who reaches which, the range form (presets,
custom ranges, refused ranges), the SVG charts and the tables holding the same numbers, the
CSV and XLSX downloads, and a fixed number of queries whatever the range."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from accounts.names import display_name
from analytics.definitions import utc_today
from learning.selectors.progress import live_lessons_of
from tests.admin_helpers import assert_refused
from tests.analytics.activity import enroll, touch_lesson
from tests.analytics.admin_helpers import (
    admin_staff,
    chart_title,
    chart_values,
    figures_by_label,
    svg_by_id,
    table_by_id,
)
from tests.analytics.raw_rows import moved as at_instant
from tests.commerce.helpers import pay
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db

TODAY = utc_today()


def report_url(course, query=""):
    return f"/admin/analytics/courses/{course.pk}/" + (f"?{query}" if query else "")


PLATFORM = "/admin/analytics/platform/"


@pytest.fixture
def course(specialist):
    return build_course(owner=specialist, title="Colour Theory", price=Decimal("0"))


@pytest.fixture
def enrollments(course):
    """Enrollments on three days of a known week, and a learner who completed two lessons."""
    days = {date(2026, 3, 2): 2, date(2026, 3, 4): 1, date(2026, 3, 8): 3}
    made = []
    for day, count in days.items():
        for _ in range(count):
            made.append(
                at_instant(
                    enroll(UserFactory(), course),
                    activated_at=datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                    + timedelta(hours=9),
                )
            )
    for position in (0, 1):
        at_instant(
            touch_lesson(made[0], position),
            completed_at=datetime(2026, 3, 4 + position, 10, tzinfo=UTC),
        )
    snapshot("2026-02-20", "2026-03-10")
    return made


def snapshot(since, until):
    from django.core.management import call_command

    call_command("analytics_backfill", "--since", since, "--until", until, verbosity=0)


MARCH_WEEK = "range=custom&from=2026-03-02&to=2026-03-08"


# Who reaches which report --------------------------------------------------------------------


def test_another_specialists_course_report_is_not_found(client_for, course, other_specialist):
    client = client_for(other_specialist)
    assert client.get(report_url(course)).status_code == 404
    assert client.get(report_url(course, "from=2026-03-09&to=2026-03-01")).status_code == 404
    assert client.get(report_url(course, "export=csv")).status_code == 404
    assert client.get(f"/admin/analytics/courses/?course={course.pk}").status_code == 404


def test_the_course_picker_lists_only_the_specialists_courses(
    client_for, specialist, course, other_specialist
):
    others = build_course(owner=other_specialist, title="Typography", price=Decimal("0"))
    client = client_for(specialist)
    response = client.get("/admin/analytics/courses/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Colour Theory" in html and "Typography" not in html
    picked = client.get(f"/admin/analytics/courses/?course={course.pk}&range=7")
    assert picked.status_code == 302
    assert picked.url == f"{report_url(course)}?range=7"
    report = client.get(report_url(course))
    assert report.status_code == 200
    assert f'<option value="{course.pk}" selected>Colour Theory</option>' in report.content.decode()
    assert f'value="{others.pk}"' not in report.content.decode()


def test_staff_read_any_course_report(client_for, course):
    response = client_for(admin_staff()).get(report_url(course))
    assert response.status_code == 200
    assert "Analytics: Colour Theory" in response.content.decode()


def test_a_learner_gets_no_report_at_all(client_for, learner, course):
    client = client_for(learner)
    for url in (report_url(course), PLATFORM, "/admin/analytics/courses/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_platform_report_is_refused_to_specialists_and_editors(client_for, specialist, editor):
    assert_refused(client_for(specialist).get(PLATFORM))
    assert_refused(client_for(editor).get(PLATFORM))
    assert_refused(client_for(editor).get(f"{PLATFORM}?export=csv"))


def test_editors_who_teach_nothing_are_refused_the_course_reports(client_for, editor, course):
    assert_refused(client_for(editor).get("/admin/analytics/courses/"))
    assert_refused(client_for(editor).get(report_url(course)))


def test_the_reports_menu_offers_each_person_the_reports_they_may_read(client_for, specialist):
    as_specialist = client_for(specialist).get("/admin/")
    assert as_specialist.status_code == 200
    assert "Course analytics" in as_specialist.content.decode()
    assert "Platform analytics" not in as_specialist.content.decode()
    as_staff = client_for(admin_staff()).get("/admin/")
    assert as_staff.status_code == 200
    assert "Course analytics" in as_staff.content.decode()
    assert "Platform analytics" in as_staff.content.decode()


# Ranges --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ("", TODAY - timedelta(days=29), TODAY),
        ("range=7", TODAY - timedelta(days=6), TODAY),
        ("range=30", TODAY - timedelta(days=29), TODAY),
        ("range=90", TODAY - timedelta(days=89), TODAY),
        ("range=custom&from=2026-03-02&to=2026-03-08", date(2026, 3, 2), date(2026, 3, 8)),
        ("from=2024-03-02&to=2026-03-02", date(2024, 3, 2), date(2026, 3, 2)),  # 731 days
        ("range=custom&from=2026-03-02&to=2026-03-02", date(2026, 3, 2), date(2026, 3, 2)),
    ],
)
def test_presets_and_custom_ranges(client_for, specialist, course, query, first, last):
    response = client_for(specialist).get(report_url(course, query))
    assert response.status_code == 200
    days = (last - first).days + 1
    previous_last = first - timedelta(days=1)
    previous_first = previous_last - timedelta(days=days - 1)
    assert f"UTC days {first} to {last}, against {previous_first} to {previous_last}." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("range=custom&from=2026-03-09&to=2026-03-01", "The range starts (2026-03-09) after it ends (2026-03-01)."),
        ("from=2024-03-01&to=2026-03-02", "The range spans 732 days; at most 731 are allowed."),
        ("range=custom&from=yesterday", "Enter a valid date."),
        ("range=custom&to=2026-02-30", "Enter a valid date."),
        ("range=365", "Select a valid choice. 365 is not one of the available choices."),
        ("granularity=year", "Select a valid choice. year is not one of the available choices."),
    ],
)  # fmt: skip
def test_a_bad_range_shows_its_error_and_computes_nothing(
    client_for, specialist, course, query, message, django_assert_max_num_queries
):
    client = client_for(specialist)
    assert client.get(report_url(course)).status_code == 200  # warm the session's caches
    # The admin's own 10 (session, user, permissions, profile, groups, locales, menus); ours:
    # the course (its access check) and the picker's courses.
    with django_assert_max_num_queries(12):
        response = client.get(report_url(course, query))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "analytics-chart" not in html
    exported = client.get(report_url(course, f"{query}&export=csv"))
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/html") and message in exported.content.decode()


def test_the_platform_report_refuses_a_bad_range_too(client_for):
    response = client_for(admin_staff()).get(f"{PLATFORM}?from=2026-05-02&to=2026-05-01")
    assert response.status_code == 200
    assert "The range starts (2026-05-02) after it ends (2026-05-01)." in response.content.decode()


# Charts and tables ---------------------------------------------------------------------------


def test_the_series_chart_and_table_hold_the_same_numbers(
    client_for, specialist, course, enrollments
):
    response = client_for(specialist).get(report_url(course, MARCH_WEEK))
    assert response.status_code == 200
    html = response.content.decode()

    chart = svg_by_id(html, "chart-new-enrollments")
    assert chart_title(chart) == "New enrollments by day"
    drawn = chart_values(chart)
    assert drawn == [
        ("2026-03-02", "2"), ("2026-03-03", "0"), ("2026-03-04", "1"), ("2026-03-05", "0"),
        ("2026-03-06", "0"), ("2026-03-07", "0"), ("2026-03-08", "3"),
    ]  # fmt: skip
    table = table_by_id(html, "analytics-listing")
    assert [(row[0], row[1]) for row in table] == drawn
    active = chart_values(svg_by_id(html, "chart-active-learners"))
    assert [value for _, value in active] == [row[2] for row in table] == list("0011000")
    assert chart_title(svg_by_id(html, "chart-completions")) == "Completions by day"
    figures = figures_by_label(html, "course-totals")
    assert figures["New enrollments"] == "6 +6 (before: 0)"
    assert figures["Lesson completions"] == "2 +2 (before: 0)"
    assert figures["Active learners"] == "1 +1 (before: 0)"


def test_weekly_buckets_start_on_monday(client_for, specialist, course, enrollments):
    query = "range=custom&from=2026-02-26&to=2026-03-08&granularity=week"
    response = client_for(specialist).get(report_url(course, query))
    assert response.status_code == 200
    chart = svg_by_id(response.content.decode(), "chart-new-enrollments")
    assert chart_title(chart) == "New enrollments by week"
    assert chart_values(chart) == [("2026-02-23", "0"), ("2026-03-02", "6")]


def test_the_lesson_funnel_marks_the_steepest_drop(client_for, specialist, course, enrollments):
    second = enrollments[1]
    touch_lesson(second, 0)
    response = client_for(specialist).get(report_url(course, MARCH_WEEK))
    assert response.status_code == 200
    html = response.content.decode()
    funnel = svg_by_id(html, "chart-funnel")
    assert chart_title(funnel) == "Learners who completed each lesson"
    lessons = live_lessons_of(course)
    labels = [f"{n}. {lesson.title}" for n, lesson in enumerate(lessons, start=1)]
    assert chart_values(funnel) == list(zip(labels, ["2", "1", "0", "0"], strict=True))
    [marked] = [mark for mark in funnel.iter() if "marked" in (mark.get("class") or "")]
    assert marked.get("data-label") == labels[2]  # 1 → 0 is a 100 % drop; 2 → 1 only 50 %
    table = table_by_id(html, "funnel-table")
    assert [row[:2] for row in table] == [[label, value] for label, value in chart_values(funnel)]
    assert table[1][2] == "50.0 %" and table[2][2] == "100.0 % steepest drop"


def test_the_platform_charts_hold_the_tables_numbers(client_for, api_client, course):
    paid = build_course(title="Paid Course", price=Decimal("99.00"))
    pay(api_client, UserFactory(), paid)
    enroll(UserFactory(), course)
    response = client_for(admin_staff()).get(PLATFORM)
    assert response.status_code == 200
    html = response.content.decode()
    top = svg_by_id(html, "chart-top-courses")
    assert chart_title(top) == "New enrollments per course"
    assert sorted(chart_values(top)) == [("Colour Theory", "1"), ("Paid Course", "1")]
    assert sorted(map(tuple, table_by_id(html, "top-courses-table"))) == sorted(chart_values(top))
    gross = svg_by_id(html, "chart-gross-USD")
    assert chart_values(gross) == [("Paid Course", "99.00")]
    assert table_by_id(html, "gross-table-USD") == [["Paid Course", "99.00"]]
    assert table_by_id(html, "analytics-listing")[0][:6] == [
        "Paid Course", "USD", "$99.00", "$0.00", "$29.70", "$69.30",
    ]  # fmt: skip


def test_the_course_report_charts_gross_sales_per_currency(client_for, api_client, specialist):
    paid = build_course(owner=specialist, title="Paid Course", price=Decimal("99.00"))
    pay(api_client, UserFactory(), paid)
    pay(api_client, UserFactory(), paid)
    response = client_for(specialist).get(report_url(paid, "range=7"))
    assert response.status_code == 200
    chart = svg_by_id(response.content.decode(), "chart-gross-USD")
    assert chart_title(chart) == "Gross sales in USD by day"
    days = [str(TODAY - timedelta(days=back)) for back in range(6, -1, -1)]
    assert chart_values(chart) == [(day, "198.00" if day == str(TODAY) else "0.00") for day in days]


def test_a_course_without_sales_draws_no_revenue_chart(client_for, specialist, course):
    enroll(UserFactory(), course)
    response = client_for(specialist).get(report_url(course))
    assert response.status_code == 200
    html = response.content.decode()
    assert "chart-gross-" not in html
    assert "No sales or refunds in this range or the one before." in html


def test_the_course_report_lists_learners_at_risk_and_links_their_csv(
    client_for, specialist, course
):
    quiet = UserFactory(first_name="Quiet", last_name="Learner")
    inactive = enroll(quiet, course)
    at_instant(touch_lesson(inactive, 0), completed_at=timezone.now() - timedelta(days=8))
    touch_lesson(enroll(UserFactory(), course), 0)  # acted today: not at risk
    client = client_for(specialist)
    response = client.get(report_url(course))
    assert response.status_code == 200
    html = response.content.decode()
    [row] = table_by_id(html, "at-risk-table")
    assert row[:2] == ["Quiet Learner", quiet.email]
    assert "1 learners have not" not in html and "One learner has not completed" in html
    csv_url = f"/api/v1/courses/{course.pk}/analytics/at-risk/?format=csv"
    assert f'href="{csv_url}"' in html
    download = client.get(csv_url)
    assert download.status_code == 200
    [listed] = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert listed["email"] == quiet.email


def test_with_no_learner_at_risk_the_report_says_so(client_for, specialist, course):
    touch_lesson(enroll(UserFactory(), course), 0)
    response = client_for(specialist).get(report_url(course))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="at-risk-table"' not in html
    assert "No learner is at risk" in html


# Exports -------------------------------------------------------------------------------------

SERIES_HEADINGS = [
    "Period from", "New enrollments", "Active learners", "Completions", "Lesson completions",
    "Quiz attempts", "Quiz passes", "Assignments submitted", "Assignments graded",
]  # fmt: skip


def test_the_course_series_downloads_as_csv(client_for, specialist, course, enrollments):
    response = client_for(specialist).get(report_url(course, f"{MARCH_WEEK}&export=csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    filename = f"{course.slug}-course-analytics-2026-03-02-2026-03-08.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == SERIES_HEADINGS
    assert rows[1] == ["2026-03-02", "2", "0", "0", "0", "0", "0", "0", "0"]
    assert rows[3] == ["2026-03-04", "1", "1", "0", "1", "0", "0", "0", "0"]
    assert len(rows) == 8


def test_the_course_series_downloads_as_xlsx(client_for, specialist, course, enrollments):
    query = "range=custom&from=2026-02-26&to=2026-03-08&granularity=week&export=xlsx"
    response = client_for(specialist).get(report_url(course, query))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == SERIES_HEADINGS
    assert rows[1][:3] == [date(2026, 2, 23), 0, 0]
    assert rows[2][:5] == [date(2026, 3, 2), 6, 1, 0, 2]


def test_the_platform_revenue_downloads_by_course_and_by_specialist(
    client_for, api_client, specialist
):
    paid = build_course(owner=specialist, instructor=specialist, title="Paid Course",
                        price=Decimal("99.00"))  # fmt: skip
    for _ in range(2):
        pay(api_client, UserFactory(), paid)
    client = client_for(admin_staff())

    by_course = client.get(f"{PLATFORM}?range=7&export=csv")
    assert by_course.status_code == 200
    rows = list(csv.reader(io.StringIO(by_course.getvalue().decode())))
    assert rows == [
        ["Course", "Currency", "Gross", "Refunds", "Platform fees", "Net to specialists",
         "Sales", "Refunds given", "Refund rate (%)"],
        ["Paid Course", "USD", "198.00", "0.00", "59.40", "138.60", "2", "0", "0.0"],
    ]  # fmt: skip

    by_specialist = client.get(f"{PLATFORM}?range=7&by=specialist&export=xlsx")
    assert by_specialist.status_code == 200
    assert "platform-revenue-" in by_specialist["Content-Disposition"]
    assert "-by-specialist.xlsx" in by_specialist["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(by_specialist.getvalue())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Specialist", "Currency", "Gross"]
    assert rows[1][1:7] == ["USD", 198, 0, 59.4, 138.6, 2]
    assert rows[1][0] == display_name(specialist)


def test_the_platform_listing_exports_every_course_while_the_chart_shows_the_top_10(
    client_for, api_client
):
    for number in range(11):
        pay(
            api_client,
            UserFactory(),
            build_course(title=f"Course {number:02}", price=Decimal("10")),
        )
    client = client_for(admin_staff())

    page = client.get(f"{PLATFORM}?range=7")
    assert page.status_code == 200
    assert len(chart_values(svg_by_id(page.content.decode(), "chart-gross-USD"))) == 10
    export = client.get(f"{PLATFORM}?range=7&export=csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.getvalue().decode())))[1:]
    assert sorted(row[0] for row in rows) == [f"Course {number:02}" for number in range(11)]


# Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 90, 731])
def test_the_course_report_takes_the_same_queries_whatever_the_range(
    client_for, specialist, course, days, django_assert_num_queries
):
    touch_lesson(enroll(UserFactory(), course), 0)
    client = client_for(specialist)
    assert client.get(report_url(course)).status_code == 200
    first = TODAY - timedelta(days=days - 1)
    # The admin's own 10 (session, user, permissions, profile, groups, locales, menus); the
    # course, its learner figures, activity, revenue, active learners, the funnel, the quizzes
    # (7, as in the API); the learners at risk; the picker's courses.
    with django_assert_num_queries(19):
        response = client.get(report_url(course, f"range=custom&from={first}&to={TODAY}"))
    assert response.status_code == 200


@pytest.mark.parametrize("courses", [1, 5])
def test_the_platform_report_takes_a_fixed_number_of_queries(
    client_for, api_client, courses, django_assert_num_queries
):
    for _ in range(courses):
        pay(api_client, UserFactory(), build_course(price=Decimal("49.00"), modules=1))
    client = client_for(admin_staff())
    assert client.get(PLATFORM).status_code == 200
    # The admin's own 9; activity, revenue, active learners, new learners, course titles and
    # specialists' names (6, as in the API).
    with django_assert_num_queries(15):
        response = client.get(f"{PLATFORM}?range=90")
    assert response.status_code == 200
    assert len(table_by_id(response.content.decode(), "analytics-listing")) == courses
