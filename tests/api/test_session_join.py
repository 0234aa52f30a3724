"""Joining a live session through our own URL: who may, when, and the record each join leaves."""

from datetime import timedelta

import pytest
from django.urls import reverse

from learning.models import CohortSession, Enrollment, SessionJoin
from tests.api_helpers import api_instant, assert_problem
from tests.factories import (
    CohortFactory,
    CohortSessionFactory,
    SpecialistFactory,
    UserFactory,
)
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)
JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def session():
    return CohortSessionFactory(meeting_url="https://meet.example.com/python-3")


@pytest.fixture
def member(session):
    return member_of(session.cohort)


def join_url(session):
    return reverse(
        "api:cohort-session-join", kwargs={"pk": session.cohort_id, "session": session.pk}
    )


def join(api_client, user, session, headers=BROWSER):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.get(join_url(session), headers=headers)


def test_the_route_is_ours_and_stable(session):
    assert join_url(session) == (f"/api/v1/cohorts/{session.cohort_id}/sessions/{session.pk}/join/")


def test_a_member_is_redirected_to_the_meeting_and_the_join_is_recorded(
    api_client, session, member, monkeypatch, django_assert_max_num_queries
):
    now = session.starts_at - timedelta(minutes=5)
    freeze(monkeypatch, now)

    with django_assert_max_num_queries(6):
        response = join(api_client, member.learner, session)

    assert response.status_code == 302
    assert response["Location"] == "https://meet.example.com/python-3"
    record = SessionJoin.objects.get()
    assert (record.session, record.user, record.enrollment) == (session, member.learner, member)
    assert record.joined_at == now


def test_json_clients_get_the_link_in_the_body(api_client, session, member, monkeypatch):
    freeze(monkeypatch, session.starts_at)

    response = join(api_client, member.learner, session, headers=JSON)

    assert response.status_code == 200
    assert response.json() == {"url": "https://meet.example.com/python-3"}
    assert SessionJoin.objects.count() == 1


def test_each_join_is_recorded(api_client, session, member, monkeypatch):
    freeze(monkeypatch, session.starts_at)
    join(api_client, member.learner, session)
    join(api_client, member.learner, session, headers=JSON)
    assert SessionJoin.objects.filter(enrollment=member).count() == 2


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        ("opens_minus_second", False),
        ("opens", True),
        ("ends_minus_second", True),
        ("ends", False),
    ],
)
def test_the_window_runs_from_15_minutes_before_to_the_end_exclusive(
    api_client, session, member, monkeypatch, moment, is_open
):
    opens_at = session.starts_at - timedelta(minutes=15)
    ends_at = session.starts_at + timedelta(minutes=60)
    now = {
        "opens_minus_second": opens_at - SECOND,
        "opens": opens_at,
        "ends_minus_second": ends_at - SECOND,
        "ends": ends_at,
    }[moment]
    freeze(monkeypatch, now)

    response = join(api_client, member.learner, session, headers=JSON)

    if is_open:
        assert response.status_code == 200
        assert SessionJoin.objects.get().joined_at == now
    else:
        body = assert_problem(response, 403, "session_not_open")
        assert body["opens_at"] == api_instant(opens_at)
        assert body["closes_at"] == api_instant(ends_at)
        assert not SessionJoin.objects.exists()


def test_a_browser_outside_the_window_gets_problem_json_not_a_406(
    api_client, session, member, monkeypatch
):
    freeze(monkeypatch, session.starts_at - timedelta(days=1))
    assert_problem(
        join(api_client, member.learner, session, headers={"Accept": "text/html"}),
        403,
        "session_not_open",
    )


def test_the_specialist_teaching_it_joins_without_an_enrollment(api_client, session, monkeypatch):
    freeze(monkeypatch, session.starts_at)
    teacher = session.cohort.course.owner

    response = join(api_client, teacher, session)

    assert response.status_code == 302
    record = SessionJoin.objects.get()
    assert (record.user, record.enrollment) == (teacher, None)


def test_a_superuser_may_join(api_client, session, monkeypatch):
    freeze(monkeypatch, session.starts_at)
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert join(api_client, admin, session).status_code == 302


def test_a_completed_learner_may_join(api_client, session, monkeypatch):
    completed = member_of(session.cohort, status=Enrollment.Status.COMPLETED)
    freeze(monkeypatch, session.starts_at)
    assert join(api_client, completed.learner, session).status_code == 302


def test_a_cancelled_session_cannot_be_joined(api_client, session, member, monkeypatch):
    CohortSession.objects.filter(pk=session.pk).update(status=CohortSession.Status.CANCELLED)
    freeze(monkeypatch, session.starts_at)

    assert_problem(join(api_client, member.learner, session), 409, "session_cancelled")
    assert not SessionJoin.objects.exists()


def test_a_session_without_a_link_says_so(api_client, session, member, monkeypatch):
    CohortSession.objects.filter(pk=session.pk).update(meeting_url="")
    freeze(monkeypatch, session.starts_at)

    assert_problem(join(api_client, member.learner, session), 409, "meeting_link_missing")
    assert not SessionJoin.objects.exists()


# Refused


def test_anonymous_is_401(api_client, session, monkeypatch):
    freeze(monkeypatch, session.starts_at)
    assert_problem(join(api_client, None, session), 401, "not_authenticated")
    assert not SessionJoin.objects.exists()


@pytest.mark.parametrize(
    "who",
    [
        "refunded",
        "suspended",
        "pending_payment",
        "other_cohort_of_the_course",
        "other_specialist",
        "stranger",
    ],
)
def test_people_outside_the_cohort_get_404(api_client, session, monkeypatch, who):
    cohort = session.cohort
    if who == "refunded":
        user = member_of(cohort, status=Enrollment.Status.REFUNDED).learner
    elif who == "suspended":
        user = member_of(cohort, suspended_at=session.starts_at - timedelta(days=3)).learner
    elif who == "pending_payment":
        user = member_of(cohort, status=Enrollment.Status.PENDING_PAYMENT).learner
    elif who == "other_cohort_of_the_course":
        other = CohortFactory(course=cohort.course, starts_on=cohort.starts_on)
        user = member_of(other).learner
    elif who == "other_specialist":
        user = SpecialistFactory()
    else:
        user = UserFactory()
    freeze(monkeypatch, session.starts_at)

    assert_problem(join(api_client, user, session), 404, "not_found")
    assert not SessionJoin.objects.exists()


def test_a_session_of_another_cohort_is_404_under_this_cohort(api_client, member, monkeypatch):
    elsewhere = CohortSessionFactory()
    freeze(monkeypatch, elsewhere.starts_at)
    api_client.force_authenticate(member.learner)

    response = api_client.get(
        reverse(
            "api:cohort-session-join",
            kwargs={"pk": member.cohort_id, "session": elsewhere.pk},
        )
    )

    assert_problem(response, 404, "not_found")
    assert not SessionJoin.objects.exists()
