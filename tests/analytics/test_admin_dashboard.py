"""The analytics panels on the Wagtail admin's home: a specialist sees their courses' last 30
days against the 30 before, staff see the platform, anyone else sees neither; the panels read a
fixed number of queries whatever the number of courses."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from analytics.dashboard import PlatformAnalyticsPanel, SpecialistAnalyticsPanel
from learning.models import Enrollment
from learning.selectors.progress import live_lessons_of
from learning.services import assignment_submit
from tests.analytics.activity import enroll, touch_lesson
from tests.analytics.admin_helpers import (
    admin_staff,
    chart_title,
    figures_by_label,
    snapshot_recent_days,
    svg_by_id,
    table_by_id,
)
from tests.analytics.raw_rows import moved as at_instant
from tests.commerce.helpers import pay
from tests.factories import CompletedEnrollmentFactory, UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_course(specialist):
    return build_course(owner=specialist, title="Data Visualisation", price=Decimal("99.00"))


@pytest.fixture
def activity(api_client, paid_course):
    """Three learners paid today ($99.00 each; 30 % commission). One was active 10 days ago and
    not since (at risk); one's enrollment is moved to 40 days ago (the previous period) and they
    hand in an assignment today (waiting to be graded). A fourth completed the course today, and
    someone enrolled in another specialist's course."""
    learners = [UserFactory(), UserFactory(), UserFactory()]
    for learner in learners:
        pay(api_client, learner, paid_course)
    quiet, _, earlier = (Enrollment.objects.get(learner=learner) for learner in learners)
    at_instant(touch_lesson(quiet, 0), completed_at=timezone.now() - timedelta(days=10))
    at_instant(earlier, activated_at=timezone.now() - timedelta(days=40))
    [work] = live_lessons_of(paid_course)[0].specific.blocks_of_type("assignment")
    assignment_submit(enrollment=earlier, assignment_id=work.id, text="My redesign.")
    CompletedEnrollmentFactory(course=paid_course)
    enroll(UserFactory(), build_course(price=Decimal("0")))
    snapshot_recent_days()


def test_a_specialist_sees_their_courses_numbers_against_the_previous_30_days(
    client_for, specialist, paid_course, activity
):
    response = client_for(specialist).get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()

    figures = figures_by_label(html, "specialist-totals")
    assert figures["New enrollments"] == "3 +2 (+200.0 %) (before: 1)"
    assert figures["Active learners"] == "2 +2 (before: 0)"
    assert figures["Completions"] == "1 +1 (before: 0)"
    assert figures["Learners at risk"] == "1"
    assert figures["Submissions waiting"] == "1"
    [usd] = table_by_id(html, "specialist-revenue")
    assert usd == ["USD", "$297.00 +$297.00", "$0.00 no change", "$89.10 +$89.10",
                   "$207.90 +$207.90", "3 +3", "0.0 %"]  # fmt: skip
    [course_row] = table_by_id(html, "specialist-courses")
    assert course_row[0] == "Data Visualisation"
    assert f'href="/admin/analytics/courses/{paid_course.pk}/"' in html
    assert course_row[1] == "3 +2 (+200.0 %)"
    assert course_row[-1] == "$207.90"


def test_the_sparkline_draws_the_new_enrollments_of_each_day(
    client_for, specialist, paid_course, activity
):
    response = client_for(specialist).get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    total = svg_by_id(html, "sparkline-specialist")
    assert chart_title(total) == "New enrollments per day, all your courses"
    values = total.find("{http://www.w3.org/2000/svg}polyline").get("data-values").split()
    assert len(values) == 30 and values[-1] == "3" and set(values[:-1]) == {"0"}
    course = svg_by_id(html, f"sparkline-course-{paid_course.pk}")
    assert chart_title(course) == "New enrollments per day, Data Visualisation"


def test_staff_see_the_platform_numbers(client_for, activity):
    response = client_for(admin_staff()).get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    figures = figures_by_label(html, "platform-totals")
    assert figures["New enrollments"] == "4 +3 (+300.0 %) (before: 1)"
    assert figures["New learners"] == "4 +3 (+300.0 %) (before: 1)"
    assert figures["Completions"] == "1 +1 (before: 0)"
    assert table_by_id(html, "platform-revenue")[0][:2] == ["USD", "$297.00 +$297.00"]
    assert table_by_id(html, "platform-top-courses")[0] == ["Data Visualisation", "3", "1"]
    assert 'href="/admin/analytics/platform/"' in html
    assert 'id="specialist-analytics"' not in html


def test_people_neither_specialist_nor_staff_see_no_analytics_panel(client_for, editor, activity):
    response = client_for(editor).get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="specialist-analytics"' not in html
    assert 'id="platform-analytics"' not in html


def render(panel, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return panel.render_html({"request": request})


@pytest.mark.parametrize("courses", [1, 5])
def test_the_specialist_panel_reads_the_same_queries_whatever_the_courses(
    specialist, courses, django_assert_max_num_queries
):
    for _ in range(courses):
        course = build_course(owner=specialist, price=Decimal("0"), modules=1, lessons_per_module=2)
        touch_lesson(enroll(UserFactory(), course), 0)
    specialist.groups.all()  # the user's groups are read once per request, by the hook
    render(SpecialistAnalyticsPanel(), specialist)  # where the snapshots stop, then cached
    # Courses with their learner figures, activity, revenue, active learners per course and
    # across them, and the sparklines' days.
    with django_assert_max_num_queries(6):
        html = render(SpecialistAnalyticsPanel(), specialist)
    assert len(table_by_id(html, "specialist-courses")) == courses


@pytest.mark.parametrize("courses", [1, 5])
def test_the_platform_panel_reads_a_fixed_number_of_queries(
    api_client, courses, django_assert_max_num_queries
):
    for _ in range(courses):
        course = build_course(price=Decimal("49.00"), modules=1, lessons_per_module=1)
        pay(api_client, UserFactory(), course)
    staff = admin_staff()
    render(PlatformAnalyticsPanel(), staff)  # where the snapshots stop, then cached
    # Activity, revenue, active learners, new learners, course titles, specialists' names.
    with django_assert_max_num_queries(6):
        html = render(PlatformAnalyticsPanel(), staff)
    assert table_by_id(html, "platform-revenue")[0][1].startswith(f"${49 * courses}.00")


# Wagtail's own home page (session, user, permissions, site summary, its panels) takes 24; the
# specialist's panel 6.
HOME_QUERIES = 30


@pytest.mark.parametrize("courses", [1, 5])
def test_the_home_page_of_a_specialist_takes_the_same_queries_whatever_the_courses(
    client_for, specialist, courses, django_assert_num_queries
):
    for _ in range(courses):
        course = build_course(owner=specialist, price=Decimal("0"), modules=1, lessons_per_module=2)
        touch_lesson(enroll(UserFactory(), course), 0)
    client = client_for(specialist)
    assert client.get("/admin/").status_code == 200  # warm Wagtail's per-process caches
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/admin/")
    assert response.status_code == 200
