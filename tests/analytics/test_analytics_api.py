"""The analytics endpoints from the outside: who is refused, what bad input answers, that the
window's edges are exact, that today's activity shows at once, and that the number of queries
does not grow with the range."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics.definitions import utc_today
from learning.models import Enrollment, LessonCompletion
from learning.selectors.progress import live_lessons_of
from tests.analytics import raw_rows
from tests.analytics.activity import enroll, touch_lesson
from tests.analytics.raw_rows import moved as at_instant
from tests.api_helpers import assert_problem
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db

TODAY = utc_today()


def snapshot(since, until):
    """Days before yesterday are read from the snapshots: build them as the nightly job does."""
    call_command("analytics_backfill", "--since", since, "--until", until, verbosity=0)


def analytics_url(course, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/courses/{course.pk}/analytics/" + (f"?{query}" if query else "")


@pytest.fixture
def course(specialist):
    return build_course(owner=specialist, price=Decimal("0"))


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


# Who is refused ------------------------------------------------------------------------------


def test_a_course_the_caller_does_not_teach_is_not_found(api_client, course, other_specialist):
    api_client.force_authenticate(other_specialist)
    assert_problem(api_client.get(analytics_url(course)), 404, "not_found")
    assert_problem(api_client.get(f"{analytics_url(course)}at-risk/"), 404, "not_found")


def test_a_learner_of_the_course_is_not_shown_its_analytics(api_client, course, learner):
    enroll(learner, course)
    api_client.force_authenticate(learner)
    assert_problem(api_client.get(analytics_url(course)), 404, "not_found")


def test_a_learner_is_refused_the_specialist_and_staff_reports(api_client, learner):
    api_client.force_authenticate(learner)
    body = assert_problem(api_client.get("/api/v1/specialist/analytics/"), 403, "permission_denied")
    assert body["detail"] == "Analytics are for specialists and staff."
    body = assert_problem(api_client.get("/api/v1/staff/analytics/"), 403, "permission_denied")
    assert body["detail"] == "Platform analytics are for staff."


def test_a_specialist_is_refused_the_staff_report(api_client, specialist):
    api_client.force_authenticate(specialist)
    assert_problem(api_client.get("/api/v1/staff/analytics/"), 403, "permission_denied")


def test_anonymous_callers_must_sign_in(api_client, course):
    for url in (analytics_url(course), "/api/v1/specialist/analytics/", "/api/v1/staff/analytics/"):
        assert api_client.get(url).status_code == 401


def test_staff_read_any_course(api_client, course, staff):
    api_client.force_authenticate(staff)
    response = api_client.get(analytics_url(course))
    assert response.status_code == 200
    assert response.json()["course"]["id"] == course.pk


def test_a_cohort_of_another_specialists_course_is_not_found(api_client, other_specialist):
    from tests.factories import CohortFactory

    cohort = CohortFactory()
    api_client.force_authenticate(other_specialist)
    assert_problem(api_client.get(f"/api/v1/cohorts/{cohort.pk}/analytics/"), 404, "not_found")


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2026-03-02", "to": "2026-03-01"}, "from", "`from` (2026-03-02) is after `to`"),
        ({"from": "2024-03-01", "to": "2026-03-02"}, "to", "The range spans 732 days; at most 731"),
        ({"granularity": "year"}, "granularity", '"year" is not a valid choice.'),
        ({"from": "yesterday"}, "from", "Date has wrong format."),
        ({"to": "2026-02-30"}, "to", "Date has wrong format."),
    ],
)
def test_bad_ranges_are_refused_and_nothing_is_computed(
    api_client, course, specialist, params, field, message, django_assert_max_num_queries
):
    api_client.force_authenticate(specialist)
    with django_assert_max_num_queries(0):
        body = assert_problem(api_client.get(analytics_url(course, **params)), 400, "invalid")
    assert message in body["errors"][field][0]


def test_a_range_of_exactly_731_days_and_of_one_day_are_accepted(api_client, course, specialist):
    api_client.force_authenticate(specialist)
    longest = api_client.get(analytics_url(course, **{"from": "2024-03-02", "to": "2026-03-02"}))
    assert longest.status_code == 200
    assert longest.json()["window"] == {"first": "2024-03-02", "last": "2026-03-02", "days": 731}
    one_day = api_client.get(analytics_url(course, **{"from": "2026-03-02", "to": "2026-03-02"}))
    assert one_day.status_code == 200
    assert one_day.json()["previous"] == {"first": "2026-03-01", "last": "2026-03-01", "days": 1}


def test_the_specialist_and_staff_reports_refuse_bad_ranges_too(api_client, specialist, staff):
    api_client.force_authenticate(specialist)
    body = assert_problem(
        api_client.get("/api/v1/specialist/analytics/?ordering=price"), 400, "invalid"
    )
    assert '"price" is not a valid choice.' in body["errors"]["ordering"][0]
    api_client.force_authenticate(staff)
    assert_problem(
        api_client.get("/api/v1/staff/analytics/?from=2026-05-02&to=2026-05-01"), 400, "invalid"
    )


# Defaults and edges --------------------------------------------------------------------------


def test_the_window_defaults_to_the_last_30_days(api_client, course, specialist):
    api_client.force_authenticate(specialist)
    response = api_client.get(analytics_url(course))
    assert response.status_code == 200
    body = response.json()
    assert body["window"] == {
        "first": str(TODAY - timedelta(days=29)),
        "last": str(TODAY),
        "days": 30,
    }
    assert body["previous"]["last"] == str(TODAY - timedelta(days=30))
    assert body["granularity"] == "day"
    assert len(body["series"]) == 30


def test_the_first_and_last_instants_of_the_window_count_and_the_next_does_not(
    api_client, course, specialist
):
    """Enrollments activated at 00:00:00 of `from` and 23:59:59.999999 of `to` are in the
    window; one microsecond before `from` is in the previous period, one after `to` in neither."""
    first, last = date(2026, 3, 2), date(2026, 3, 8)
    start = datetime(2026, 3, 2, tzinfo=UTC)
    end = datetime(2026, 3, 9, tzinfo=UTC)
    for instant in (start, end - timedelta(microseconds=1)):
        at_instant(enroll(UserFactory(), course), activated_at=instant)
    at_instant(enroll(UserFactory(), course), activated_at=start - timedelta(microseconds=1))
    at_instant(enroll(UserFactory(), course), activated_at=end)
    snapshot("2026-02-20", "2026-03-10")

    api_client.force_authenticate(specialist)
    response = api_client.get(analytics_url(course, **{"from": first, "to": last}))
    assert response.status_code == 200
    body = response.json()
    assert body["totals"]["new_enrollments"] == {"value": 2, "previous": 1}
    by_day = {row["period_start"]: row["new_enrollments"] for row in body["series"]}
    assert by_day == {str(first + timedelta(days=n)): int(n in (0, 6)) for n in range(7)}


def test_weeks_start_on_monday_and_months_on_the_first(api_client, course, specialist):
    at_instant(enroll(UserFactory(), course), activated_at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    at_instant(enroll(UserFactory(), course), activated_at=datetime(2026, 3, 2, 12, tzinfo=UTC))
    snapshot("2026-02-20", "2026-03-10")
    api_client.force_authenticate(specialist)
    window = {"from": "2026-02-26", "to": "2026-03-03"}

    weekly = api_client.get(analytics_url(course, granularity="week", **window))
    assert weekly.status_code == 200
    assert [(row["period_start"], row["new_enrollments"]) for row in weekly.json()["series"]] == [
        ("2026-02-23", 1),  # Sunday 1 March is in the week of Monday 23 February
        ("2026-03-02", 1),
    ]
    monthly = api_client.get(analytics_url(course, granularity="month", **window))
    assert monthly.status_code == 200
    assert [(row["period_start"], row["new_enrollments"]) for row in monthly.json()["series"]] == [
        ("2026-02-01", 0),
        ("2026-03-01", 2),
    ]


def test_an_enrollment_shows_in_the_specialists_figures_at_once(api_client, course, specialist):
    """No snapshot job has run: today is read live."""
    api_client.force_authenticate(specialist)
    before = api_client.get("/api/v1/specialist/analytics/")
    assert before.status_code == 200
    assert before.json()["totals"]["new_enrollments"]["value"] == 0

    newcomer = UserFactory()
    api_client.force_authenticate(newcomer)
    assert api_client.post("/api/v1/enrollments/", {"course": course.pk}).status_code == 201

    api_client.force_authenticate(specialist)
    after = api_client.get("/api/v1/specialist/analytics/")
    assert after.status_code == 200
    assert after.json()["totals"]["new_enrollments"] == {"value": 1, "previous": 0}
    [row] = after.json()["courses"]
    assert row["new_enrollments"] == {"value": 1, "previous": 0}
    assert row["learners"] == 1


def test_a_learner_active_on_two_days_is_one_active_learner(api_client, course, specialist):
    enrollment = enroll(UserFactory(), course)
    first, second = touch_lesson(enrollment, 0), touch_lesson(enrollment, 1)
    at_instant(first, completed_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    at_instant(second, completed_at=datetime(2026, 3, 3, 9, tzinfo=UTC))
    snapshot("2026-03-01", "2026-03-04")
    api_client.force_authenticate(specialist)
    response = api_client.get(analytics_url(course, **{"from": "2026-03-02", "to": "2026-03-03"}))
    assert response.status_code == 200
    body = response.json()
    assert body["totals"]["active_learners"]["value"] == 1
    assert body["totals"]["lesson_completions"]["value"] == 2
    assert [row["active_learners"] for row in body["series"]] == [1, 1]


# At risk -------------------------------------------------------------------------------------


def test_a_learner_inactive_for_exactly_7_days_is_at_risk_and_one_microsecond_less_is_not(
    api_client, course, specialist, monkeypatch
):
    now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    inactive, recent = enroll(UserFactory(), course), enroll(UserFactory(), course)
    at_instant(touch_lesson(inactive, 0), completed_at=now - timedelta(days=7))
    at_instant(
        touch_lesson(recent, 0), completed_at=now - timedelta(days=7) + timedelta(microseconds=1)
    )
    never_started = enroll(UserFactory(), course)
    finished = enroll(UserFactory(), course)
    at_instant(touch_lesson(finished, 0), completed_at=now - timedelta(days=30))
    Enrollment.objects.filter(pk=finished.pk).update(status="completed", completed_at=now)

    api_client.force_authenticate(specialist)
    response = api_client.get(f"{analytics_url(course)}at-risk/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["enrollment"] == inactive.pk
    assert row["last_active_at"] == (now - timedelta(days=7)).isoformat().replace("+00:00", "Z")
    assert row["progress_percent"] == 25  # one of the course's four lessons
    assert never_started.pk not in {r["enrollment"] for r in response.json()["results"]}

    figures = api_client.get(analytics_url(course))
    assert figures.status_code == 200
    assert figures.json()["learners"]["at_risk"] == 1


@pytest.mark.parametrize("kind", ["lesson", "quiz", "submission"])
def test_a_recent_action_of_any_kind_keeps_a_learner_off_the_at_risk_count(
    api_client, course, specialist, monkeypatch, kind
):
    """Each learner's old actions are 30 days back; their latest, of `kind`, is exactly 7 days
    back (at risk) or one microsecond later (not)."""
    now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    lesson = live_lessons_of(course)[0]
    latest = {
        "at_risk": now - timedelta(days=7),
        "active": now - timedelta(days=7, microseconds=-1),
    }
    for instant in latest.values():
        enrollment = enroll(UserFactory(), course)
        actions = dict.fromkeys(("lesson", "quiz", "submission"), instant)
        actions = {other: now - timedelta(days=30) for other in actions} | {kind: instant}
        raw_rows.lesson_completion_make(enrollment, lesson, actions["lesson"])
        raw_rows.quiz_attempt_make(
            enrollment, lesson, number=1, passed=False, instant=actions["quiz"]
        )
        raw_rows.submission_make(
            enrollment, lesson, status="submitted", instant=actions["submission"]
        )

    api_client.force_authenticate(specialist)
    response = api_client.get(analytics_url(course))
    assert response.status_code == 200
    assert response.json()["learners"]["at_risk"] == 1
    listed = api_client.get(f"{analytics_url(course)}at-risk/")
    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert row["last_active_at"] == latest["at_risk"].isoformat().replace("+00:00", "Z")


def test_the_at_risk_list_downloads_as_csv(api_client, course, specialist):
    enrollment = enroll(UserFactory(email="quiet@example.com"), course)
    at_instant(touch_lesson(enrollment, 0), completed_at=timezone.now() - timedelta(days=9))
    api_client.force_authenticate(specialist)
    response = api_client.get(f"{analytics_url(course)}at-risk/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{course.slug}-at-risk.csv"'
    header, row = response.content.decode().splitlines()
    assert header == "enrollment,learner,email,enrolled_at,last_active_at,progress_percent"
    assert ",quiet@example.com," in row


# Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 90, 731])
def test_course_analytics_take_the_same_queries_whatever_the_range(
    api_client, course, specialist, days, django_assert_num_queries
):
    enrollment = enroll(UserFactory(), course)
    touch_lesson(enrollment, 0)
    api_client.force_authenticate(specialist)
    url = analytics_url(course, **{"from": TODAY - timedelta(days=days - 1), "to": TODAY})
    # The first request also reads where the snapshots stop, which is then cached.
    with django_assert_num_queries(8):
        assert api_client.get(url).status_code == 200
    # The course, its learner figures, activity, revenue, active learners, the funnel, the
    # quizzes; and the user's groups are not read (the course filter does the permission).
    with django_assert_num_queries(7):
        response = api_client.get(url)
    assert response.status_code == 200
    assert response.json()["totals"]["lesson_completions"]["value"] == 1


def test_cohort_course_analytics_add_one_query_for_the_cohorts_and_their_sessions(
    api_client, specialist, django_assert_num_queries
):
    from tests.factories import CohortFactory, build_cohort_course

    course = build_cohort_course(owner=specialist)
    CohortFactory.create_batch(3, course=course)
    api_client.force_authenticate(specialist)
    url = analytics_url(course, **{"from": "2026-01-01", "to": TODAY})
    assert api_client.get(url).status_code == 200  # where the snapshots stop, cached
    with django_assert_num_queries(8):
        response = api_client.get(url)
    assert response.status_code == 200
    assert len(response.json()["cohorts"]) == 3


@pytest.mark.parametrize("courses", [1, 6])
def test_specialist_analytics_take_the_same_queries_whatever_the_courses(
    api_client, specialist, courses, django_assert_num_queries
):
    for _ in range(courses):
        course = build_course(owner=specialist, price=Decimal("0"), modules=1, lessons_per_module=1)
        enroll(UserFactory(), course)
    api_client.force_authenticate(specialist)
    url = "/api/v1/specialist/analytics/?from=2025-01-01"
    assert api_client.get(url).status_code == 200  # where the snapshots stop, cached
    api_client.force_authenticate(type(specialist).objects.get(pk=specialist.pk))  # as loaded
    # Groups (the role check), the courses, their learner figures, activity, revenue, active
    # learners per course and across the courses.
    with django_assert_num_queries(6):
        response = api_client.get(url)
    assert response.status_code == 200
    assert len(response.json()["courses"]) == courses


def test_staff_analytics_take_a_fixed_number_of_queries(
    api_client, staff, course, django_assert_num_queries
):
    enroll(UserFactory(), course)
    api_client.force_authenticate(staff)
    url = "/api/v1/staff/analytics/?from=2025-01-01"
    assert api_client.get(url).status_code == 200  # where the snapshots stop, cached
    # Activity, revenue, active learners, new learners, course titles (with no sales there are
    # no specialists' names to read).
    with django_assert_num_queries(5):
        response = api_client.get(url)
    assert response.status_code == 200
    assert response.json()["totals"]["new_learners"]["value"] == 1


def test_at_risk_list_takes_a_fixed_number_of_queries(
    api_client, course, specialist, django_assert_num_queries
):
    for _ in range(4):
        at_instant(
            touch_lesson(enroll(UserFactory(), course), 0),
            completed_at=timezone.now() - timedelta(days=10),
        )
    api_client.force_authenticate(specialist)
    # The course, the count, the page, the live lessons, the completed counts.
    with django_assert_num_queries(5):
        response = api_client.get(f"{analytics_url(course)}at-risk/")
    assert response.status_code == 200
    assert response.json()["count"] == 4


def test_lesson_completions_of_other_courses_do_not_count(api_client, course, specialist):
    other = build_course(price=Decimal("0"))
    touch_lesson(enroll(UserFactory(), other), 0)
    api_client.force_authenticate(specialist)
    response = api_client.get(analytics_url(course))
    assert response.status_code == 200
    assert response.json()["totals"]["lesson_completions"]["value"] == 0
    assert LessonCompletion.objects.count() == 1


def test_an_empty_at_risk_list_downloads_as_a_csv_with_its_header(api_client, course, specialist):
    api_client.force_authenticate(specialist)
    response = api_client.get(f"{analytics_url(course)}at-risk/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "enrollment,learner,email,enrolled_at,last_active_at,progress_percent"
    ]
