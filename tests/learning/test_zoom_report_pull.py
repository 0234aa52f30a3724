"""After a Zoom session, its participants report fills what the webhooks missed: pulled after
`meeting.ended` and by the beat 15 minutes after the end, paginated, the instance uuid
encoded as Zoom wants, waiting-room time left out, and a second pull changing nothing."""

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from learning.models import AttendanceChange, AttendanceRecord, CohortSession, ZoomParticipantEvent
from learning.services.sessions import session_schedule
from learning.tasks import pull_due_meeting_attendance, pull_session_attendance
from tests.factories import CohortFactory, UserFactory
from tests.learning.zoom_fake import API, FIRST_MEETING_ID, zoom_time
from tests.learning.zoom_webhooks_helpers import deliver_event
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

START = datetime(2024, 3, 6, 0, tzinfo=UTC)
END = START + timedelta(minutes=60)
MINUTE = timedelta(minutes=1)
MEETING = str(FIRST_MEETING_ID)
INSTANCE = "/Ab//cD+e=="  # starts with / and holds //: encoded twice in the path
INSTANCE_IN_PATH = "%252FAb%252F%252FcD%252Be%253D%253D"
REPORT_PATH = f"/v2/report/meetings/{INSTANCE_IN_PATH}/participants"


@pytest.fixture
def clock(monkeypatch):
    freeze(monkeypatch, datetime(2024, 2, 1, 12, tzinfo=UTC))
    return lambda instant: freeze(monkeypatch, instant)


@pytest.fixture
def learners(clock):
    cohort = CohortFactory(
        starts_on=date(2024, 3, 1), ends_on=date(2024, 4, 5), meeting_provider="zoom",
        enrollment_deadline=datetime(2024, 2, 25, tzinfo=UTC),
    )  # fmt: skip
    ada = member_of(cohort, learner=UserFactory(email="ada@example.com"))
    alan = member_of(cohort, learner=UserFactory(email="alan@example.com"))
    return ada, alan


@pytest.fixture
def session(learners, zoom, django_capture_on_commit_callbacks):
    """A synced Zoom session of the learners' cohort, each of them a registrant."""
    with django_capture_on_commit_callbacks(execute=True):
        session = session_schedule(
            cohort=learners[0].cohort, title="Decorators", starts_at=START, duration_minutes=60
        )
    session.refresh_from_db()
    assert session.meeting_sync_state == "synced"
    return session


def report_row(email, registrant, joined, left, **fields):
    return {
        "id": "", "user_id": f"1677{registrant}", "name": email.split("@")[0].title(),
        "user_email": email, "join_time": zoom_time(joined), "leave_time": zoom_time(left),
        "duration": int((left - joined).total_seconds()), "status": "in_meeting",
        "registrant_id": f"reg-{MEETING}-{registrant}", **fields,
    }  # fmt: skip


@pytest.fixture
def report(zoom):
    """Zoom's past instances of the meeting (this session's and next week's) and the
    participants report of this session's, in two pages: Ada, then Alan and a waiting-room
    row. Alan's webhooks never came."""
    instances = zoom.router.get(f"{API}/past_meetings/{MEETING}/instances").mock(
        return_value=httpx.Response(200, json={"meetings": [
            {"uuid": INSTANCE, "start_time": zoom_time(START - 2 * MINUTE)},
            {"uuid": "next-week==", "start_time": zoom_time(START + timedelta(days=7))},
        ]})
    )  # fmt: skip
    pages = zoom.router.get(url__regex=r"https://zoom\.test/v2/report/meetings/.*").mock(
        side_effect=[
            httpx.Response(200, json={"page_size": 300, "total_records": 3,
                                      "next_page_token": "page-2", "participants": [
                report_row("ada@example.com", "ada", START, START + 50 * MINUTE),
            ]}),
            httpx.Response(200, json={"page_size": 300, "total_records": 3,
                                      "next_page_token": "", "participants": [
                report_row("alan@example.com", "alan", START + 20 * MINUTE, END + 5 * MINUTE),
                report_row("alan@example.com", "alan", START - 10 * MINUTE, START + 20 * MINUTE,
                           status="in_waiting_room"),
            ]}),
        ] * 2  # a second pull reads the same two pages
    )  # fmt: skip
    return instances, pages


def send_webhook(event, obj, moment, capture):
    with capture(execute=True):
        assert deliver_event(event, obj, at=moment).status_code == 200


def test_meeting_ended_pulls_the_report_and_fills_the_learner_webhooks_missed(
    zoom_secret, session, learners, report, clock, django_capture_on_commit_callbacks
):
    ada, alan = learners
    instances, pages = report
    clock(END + MINUTE)
    for kind, at in (("joined", START), ("left", START + 50 * MINUTE)):
        field = "join_time" if kind == "joined" else "leave_time"
        send_webhook(f"meeting.participant_{kind}", {"id": MEETING, "uuid": INSTANCE, "participant": {
            "user_id": "16778240", "participant_uuid": "p-ada", field: zoom_time(at),
            "registrant_id": f"reg-{MEETING}-ada", "user_name": "Ada"}},
            END + MINUTE, django_capture_on_commit_callbacks)  # fmt: skip

    send_webhook("meeting.ended", {"id": MEETING, "uuid": INSTANCE,
                                   "start_time": zoom_time(START - 2 * MINUTE)},
                 END + MINUTE, django_capture_on_commit_callbacks)  # fmt: skip

    assert instances.call_count == 1
    first, second = (call.request for call in pages.calls)
    assert first.url.raw_path.decode().split("?")[0] == REPORT_PATH
    assert dict(first.url.params) == {"page_size": "300", "include_fields": "registrant_id"}
    assert dict(second.url.params) == {
        "page_size": "300", "include_fields": "registrant_id", "next_page_token": "page-2"
    }  # fmt: skip
    assert second.headers["Authorization"].startswith("Bearer token-")
    records = {r.enrollment: r for r in AttendanceRecord.objects.filter(session=session)}
    assert (records[ada].status, records[ada].minutes_attended) == ("present", 50)
    # Alan waited 10 minutes outside: only his 40 minutes in the meeting count, from 20 past.
    assert (records[alan].status, records[alan].minutes_attended) == ("late", 40)
    assert records[alan].first_joined_at == START + 20 * MINUTE
    session.refresh_from_db()
    assert session.attendance_pulled_at == END + MINUTE


def test_a_second_pull_changes_nothing(session, learners, report, clock):
    clock(END + 20 * MINUTE)
    pull_session_attendance.delay(session.pk)
    rows, changes = ZoomParticipantEvent.objects.count(), AttendanceChange.objects.count()
    assert rows == 4 and changes == 2  # two rows a connection, the waiting room left out

    pull_session_attendance.delay(session.pk)

    assert ZoomParticipantEvent.objects.count() == rows
    assert AttendanceChange.objects.count() == changes
    assert AttendanceRecord.objects.filter(session=session).count() == 2


def test_the_beat_pulls_fifteen_minutes_after_the_end_not_a_second_before(session, report, clock):
    instances, _pages = report
    clock(END + 15 * MINUTE - timedelta(seconds=1))
    assert pull_due_meeting_attendance.delay().get() == 0
    assert not instances.called

    clock(END + 15 * MINUTE)
    assert pull_due_meeting_attendance.delay().get() == 1
    assert instances.call_count == 1
    session.refresh_from_db()
    assert session.attendance_pulled_at == END + 15 * MINUTE
    assert pull_due_meeting_attendance.delay().get() == 0  # pulled once


def test_a_failed_pull_is_tried_again_by_the_beat(session, report, clock, zoom):
    instances, _pages = report
    instances.side_effect = [httpx.Response(500, json={"message": "Internal error"})]
    clock(END + 15 * MINUTE)
    assert pull_due_meeting_attendance.delay().get() == 1
    session.refresh_from_db()
    assert session.attendance_pulled_at is None

    instances.side_effect = None
    assert pull_due_meeting_attendance.delay().get() == 1
    session.refresh_from_db()
    assert session.attendance_pulled_at == END + 15 * MINUTE
    assert AttendanceRecord.objects.filter(session=session).count() == 2


def test_manual_and_unsynced_sessions_are_not_pulled(session, report, clock):
    instances, _pages = report
    CohortSession.objects.filter(pk=session.pk).update(meeting_provider="manual")
    clock(END + 15 * MINUTE)
    assert pull_due_meeting_attendance.delay().get() == 0
    CohortSession.objects.filter(pk=session.pk).update(
        meeting_provider="", meeting_sync_state="failed"
    )
    assert pull_due_meeting_attendance.delay().get() == 0
    assert not instances.called
