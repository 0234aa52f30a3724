"""The unmatched participants of a cohort through the API: the specialist teaching it lists
who Zoom saw but we could not identify, assigns each to a learner (attendance written, with
the specialist in its audit trail) or dismisses them; everyone else is refused."""

from datetime import timedelta

import pytest

from coursepages.selectors import course_teacher
from learning.models import AttendanceChange, AttendanceRecord, UnmatchedParticipant
from tests.api_helpers import assert_problem
from tests.factories import CohortFactory, CohortSessionFactory, SpecialistFactory, UserFactory
from tests.learning.zoom_webhooks_helpers import MEETING, MINUTE, START, meeting_ended, participant
from tests.session_helpers import member_of

pytestmark = pytest.mark.django_db

# Zoom's signed deliveries come from `zoom_send` (tests/conftest.py): a session at START, the
# clock just after it ended.


def url(cohort, uid=None, action=""):
    base = f"/api/v1/cohorts/{cohort.pk}/unmatched-participants/"
    return f"{base}{uid}/{action}/" if uid else base


@pytest.fixture
def cohort(zoom_session):
    return zoom_session.cohort


@pytest.fixture
def teacher(cohort):
    return course_teacher(cohort.course)


@pytest.fixture
def guest(zoom_session, zoom_send):
    """Someone who came from a personal address for 50 minutes: nobody we know."""
    participant(zoom_send, "joined", START, uuid="p9", name="Jill Chill", email="jill@home.example")
    participant(zoom_send, "left", START + 50 * MINUTE, uuid="p9", name="Jill Chill")
    meeting_ended(zoom_send)
    return UnmatchedParticipant.objects.get()


@pytest.fixture
def jill(cohort):
    return member_of(cohort, learner=UserFactory(first_name="Jill", last_name="Chill"))


def test_the_teacher_lists_who_zoom_saw_with_what_it_reported(api_client, teacher, guest):
    api_client.force_authenticate(teacher)

    response = api_client.get(url(guest.session.cohort))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row == {
        "id": guest.pk,
        "session": {
            "id": guest.session.pk,
            "title": guest.session.title,
            "starts_at": "2021-07-13T21:00:00Z",
        },
        "name": "Jill Chill",
        "email": "jill@home.example",
        "minutes": 50,
        "first_joined_at": "2021-07-13T21:00:00Z",
        "state": "open",
        "resolved_to": None,
        "resolved_by": None,
        "resolved_at": None,
        "dismissed_by": None,
        "dismissed_at": None,
    }


def unmatched_in(zoom_session, number, **fields):
    return UnmatchedParticipant.objects.create(
        session=zoom_session,
        key=f"email:guest{number}@example.com",
        name=f"Guest {number}",
        **fields,
    )


def test_rows_filter_by_session_and_by_whether_they_are_resolved(api_client, cohort, zoom_session):
    later = CohortSessionFactory(
        cohort=cohort, starts_at=START + timedelta(days=7), zoom_meeting_id=MEETING
    )
    waiting = unmatched_in(zoom_session, 1)
    dismissed = unmatched_in(zoom_session, 2, dismissed_at=START)
    resolved = unmatched_in(later, 3, resolved_to=member_of(cohort), resolved_at=START)
    unmatched_in(CohortSessionFactory(), 4)  # another cohort's
    api_client.force_authenticate(course_teacher(cohort.course))

    def ids(**params):
        response = api_client.get(url(cohort), params)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [waiting.pk, dismissed.pk, resolved.pk]
    assert ids(session=zoom_session.pk) == [waiting.pk, dismissed.pk]
    assert ids(session=later.pk) == [resolved.pk]
    assert ids(resolved="false") == [waiting.pk]
    assert ids(resolved="true") == [dismissed.pk, resolved.pk]
    assert ids(session=later.pk, resolved="false") == []


@pytest.mark.parametrize("params", [{"resolved": "maybe"}, {"session": "first"}, {"session": 0}])
def test_bad_filters_are_a_400(api_client, teacher, cohort, params):
    api_client.force_authenticate(teacher)
    assert_problem(api_client.get(url(cohort), params), 400, "invalid")


@pytest.mark.parametrize("rows", [3, 12])
def test_the_list_costs_the_same_queries_for_3_or_12_rows(
    api_client, cohort, zoom_session, rows, django_assert_max_num_queries
):
    for number in range(rows):
        unmatched_in(
            zoom_session,
            number,
            resolved_to=member_of(cohort),
            resolved_by=SpecialistFactory(),
            resolved_at=START,
        )
    api_client.force_authenticate(course_teacher(cohort.course))

    with django_assert_max_num_queries(5):
        response = api_client.get(url(cohort))

    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


# Resolving


def test_resolving_assigns_the_participant_and_records_the_learners_attendance(
    api_client, teacher, guest, jill
):
    api_client.force_authenticate(teacher)

    response = api_client.post(
        url(guest.session.cohort, guest.pk, "resolve"), {"enrollment": jill.pk}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "resolved"
    assert body["resolved_to"] == {
        "enrollment": jill.pk,
        "learner": "Jill Chill",
        "email": jill.learner.email,
    }
    assert body["resolved_by"] and body["resolved_at"] == "2021-07-13T22:10:00Z"
    record = AttendanceRecord.objects.get(session=guest.session, enrollment=jill)
    assert (record.status, record.minutes_attended, record.source) == ("present", 50, "zoom")
    change = record.changes.get()
    assert (change.old_status, change.new_status, change.changed_by) == ("", "present", teacher)


def test_resolving_to_the_same_learner_again_changes_nothing(api_client, teacher, guest, jill):
    api_client.force_authenticate(teacher)
    resolve = url(guest.session.cohort, guest.pk, "resolve")
    first = api_client.post(resolve, {"enrollment": jill.pk}, format="json")

    again = api_client.post(resolve, {"enrollment": jill.pk}, format="json")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert AttendanceChange.objects.count() == 1


def test_resolving_to_another_learner_once_resolved_is_a_409(api_client, teacher, guest, jill):
    api_client.force_authenticate(teacher)
    resolve = url(guest.session.cohort, guest.pk, "resolve")
    assert api_client.post(resolve, {"enrollment": jill.pk}, format="json").status_code == 200
    other = member_of(guest.session.cohort)

    response = api_client.post(resolve, {"enrollment": other.pk}, format="json")

    assert_problem(response, 409, "unmatched_closed")
    assert UnmatchedParticipant.objects.get().resolved_to == jill
    assert not AttendanceRecord.objects.filter(enrollment=other).exists()


@pytest.mark.parametrize(
    "enrollment",
    [
        lambda cohort: member_of(CohortFactory()).pk,  # another cohort's learner
        lambda cohort: member_of(cohort, status="refunded").pk,  # no access any more
        lambda cohort: 987654,  # nobody's
    ],
    ids=["another-cohort", "refunded", "unknown"],
)
def test_resolving_to_someone_not_a_learner_of_the_cohort_is_a_400(
    api_client, teacher, guest, enrollment
):
    api_client.force_authenticate(teacher)

    response = api_client.post(
        url(guest.session.cohort, guest.pk, "resolve"),
        {"enrollment": enrollment(guest.session.cohort)},
        format="json",
    )

    body = assert_problem(response, 400, "invalid")
    assert "enrollment" in body["errors"]
    assert UnmatchedParticipant.objects.get().state == "open"
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize("body", [{}, {"enrollment": "jill"}, {"enrollment": 0}])
def test_a_malformed_resolve_body_is_a_400(api_client, teacher, guest, body):
    api_client.force_authenticate(teacher)
    response = api_client.post(url(guest.session.cohort, guest.pk, "resolve"), body, format="json")
    assert_problem(response, 400, "invalid")
    assert UnmatchedParticipant.objects.get().state == "open"


def test_unknown_rows_and_rows_of_another_cohort_are_404(api_client, teacher, guest, jill):
    elsewhere = unmatched_in(CohortSessionFactory(), 1)
    api_client.force_authenticate(teacher)
    for uid in (guest.pk + 1000, elsewhere.pk):
        for action, body in (("resolve", {"enrollment": jill.pk}), ("dismiss", {})):
            response = api_client.post(url(guest.session.cohort, uid, action), body, format="json")
            assert_problem(response, 404, "not_found")
    assert UnmatchedParticipant.objects.filter(resolved_at__isnull=False).count() == 0


# Dismissing


def test_dismissing_closes_the_row_and_keeps_it(api_client, teacher, guest, jill):
    api_client.force_authenticate(teacher)
    dismiss = url(guest.session.cohort, guest.pk, "dismiss")

    response = api_client.post(dismiss)
    again = api_client.post(dismiss)

    assert response.status_code == again.status_code == 200
    assert response.json()["state"] == "dismissed" and response.json()["dismissed_by"]
    assert again.json() == response.json()  # the first dismissal's time and author stay
    guest.refresh_from_db()
    assert (guest.dismissed_by, guest.resolved_to) == (teacher, None)
    assert not AttendanceRecord.objects.exists()
    resolve = api_client.post(
        url(guest.session.cohort, guest.pk, "resolve"), {"enrollment": jill.pk}, format="json"
    )
    assert_problem(resolve, 409, "unmatched_closed")


def test_a_resolved_row_cannot_be_dismissed(api_client, teacher, guest, jill):
    api_client.force_authenticate(teacher)
    resolve = url(guest.session.cohort, guest.pk, "resolve")
    assert api_client.post(resolve, {"enrollment": jill.pk}, format="json").status_code == 200

    response = api_client.post(url(guest.session.cohort, guest.pk, "dismiss"))

    assert_problem(response, 409, "unmatched_closed")
    guest.refresh_from_db()
    assert (guest.state, guest.dismissed_at) == ("resolved", None)
    assert AttendanceRecord.objects.filter(enrollment=jill).exists()


# The refused side


def test_a_superuser_acts_as_staff(api_client, guest, jill):
    api_client.force_authenticate(UserFactory(is_superuser=True, is_staff=True))
    assert api_client.get(url(guest.session.cohort)).json()["count"] == 1
    response = api_client.post(
        url(guest.session.cohort, guest.pk, "resolve"), {"enrollment": jill.pk}, format="json"
    )
    assert response.status_code == 200


def assert_nothing_changed():
    unmatched = UnmatchedParticipant.objects.get()
    assert unmatched.state == "open"
    assert not AttendanceRecord.objects.exists()


def test_another_specialist_gets_404_everywhere(api_client, guest, jill):
    api_client.force_authenticate(SpecialistFactory())
    cohort = guest.session.cohort
    assert_problem(api_client.get(url(cohort)), 404, "not_found")
    resolve = api_client.post(url(cohort, guest.pk, "resolve"), {"enrollment": jill.pk})
    assert_problem(resolve, 404, "not_found")
    assert_problem(api_client.post(url(cohort, guest.pk, "dismiss")), 404, "not_found")
    assert_nothing_changed()


def test_a_learner_of_the_cohort_gets_403(api_client, guest, jill):
    api_client.force_authenticate(jill.learner)
    cohort = guest.session.cohort
    assert_problem(api_client.get(url(cohort)), 403, "permission_denied")
    resolve = api_client.post(url(cohort, guest.pk, "resolve"), {"enrollment": jill.pk})
    assert_problem(resolve, 403, "permission_denied")
    assert_problem(api_client.post(url(cohort, guest.pk, "dismiss")), 403, "permission_denied")
    assert_nothing_changed()


def test_anonymous_callers_get_401(api_client, guest, jill):
    cohort = guest.session.cohort
    assert api_client.get(url(cohort)).status_code == 401
    resolve = api_client.post(url(cohort, guest.pk, "resolve"), {"enrollment": jill.pk})
    assert resolve.status_code == 401
    assert api_client.post(url(cohort, guest.pk, "dismiss")).status_code == 401
    assert_nothing_changed()
