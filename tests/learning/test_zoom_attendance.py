"""Zoom attendance: intervals merged and clipped at their edges, participants mapped by
registrant id then e-mail (never by name), records written once and the specialist's kept."""

from datetime import timedelta

from coursepages.selectors import course_teacher
from learning.attendance import attended_from
from learning.models import (
    AttendanceChange,
    AttendanceRecord,
    Enrollment,
    UnmatchedParticipant,
    ZoomRegistrant,
)
from learning.services.zoom_attendance import (
    session_for_meeting,
    unmatched_participant_resolve,
    zoom_attendance_compute,
)
from tests.factories import CohortSessionFactory, UserFactory
from tests.learning.zoom_webhooks_helpers import (
    END,
    INSTANCE,
    MEETING,
    MINUTE,
    START,
    meeting_ended,
    participant,
)


def attended(*events):
    return attended_from(events, start=START, end=END)


# attended_from: the pure merge


def test_a_join_and_leave_exactly_at_the_window_edges_is_the_whole_session():
    result = attended(("a", "joined", START), ("a", "left", END))
    assert (result.minutes, result.first_join) == (60, START)


def test_time_outside_the_window_is_clipped_but_the_early_join_is_kept():
    result = attended(("a", "joined", START - 20 * MINUTE), ("a", "left", END + 20 * MINUTE))
    assert (result.minutes, result.first_join) == (60, START - 20 * MINUTE)


def test_an_interval_wholly_outside_the_window_counts_nothing():
    before = attended(("a", "joined", START - 30 * MINUTE), ("a", "left", START))
    after = attended(("a", "joined", END), ("a", "left", END + 5 * MINUTE))
    assert before.minutes == 0 and after.minutes == 0


def test_overlapping_connections_count_once():
    result = attended(
        ("phone", "joined", START), ("phone", "left", START + 40 * MINUTE),
        ("laptop", "joined", START + 30 * MINUTE), ("laptop", "left", START + 50 * MINUTE),
        ("tablet", "joined", START + 35 * MINUTE), ("tablet", "left", START + 45 * MINUTE),
    )  # fmt: skip
    assert result.minutes == 50


def test_a_rejoin_adds_only_the_time_present():
    result = attended(
        ("a", "joined", START + 5 * MINUTE), ("a", "left", START + 20 * MINUTE),
        ("a", "joined", START + 30 * MINUTE), ("a", "left", START + 40 * MINUTE),
    )  # fmt: skip
    assert (result.minutes, result.first_join) == (25, START + 5 * MINUTE)


def test_a_join_without_a_leave_is_closed_at_the_window_end():
    assert attended(("a", "joined", START + 45 * MINUTE)).minutes == 15


def test_a_leave_without_a_join_counts_nothing():
    result = attended(("a", "left", START + 30 * MINUTE))
    assert (result.minutes, result.first_join) == (0, None)


def test_a_leave_before_the_join_is_ignored_and_the_join_runs_to_the_end():
    result = attended(("a", "left", START + 10 * MINUTE), ("a", "joined", START + 20 * MINUTE))
    assert (result.minutes, result.first_join) == (40, START + 20 * MINUTE)


def test_events_out_of_order_are_paired_in_time_order():
    result = attended(("a", "left", START + 30 * MINUTE), ("a", "joined", START + 10 * MINUTE))
    assert result.minutes == 20


def test_a_repeated_join_keeps_the_earlier_one_open():
    result = attended(
        ("a", "joined", START), ("a", "joined", START + 10 * MINUTE),
        ("a", "left", START + 30 * MINUTE),
    )  # fmt: skip
    assert result.minutes == 30


def test_partial_minutes_are_rounded_down():
    result = attended(
        ("a", "joined", START), ("a", "left", START + 29 * MINUTE + timedelta(seconds=59))
    )
    assert result.minutes == 29


# Mapping a meeting to a session


def test_a_recurring_meeting_maps_each_join_to_its_own_session(zoom_session):
    next_week = CohortSessionFactory(
        cohort=zoom_session.cohort, starts_at=START + timedelta(days=7), zoom_meeting_id=MEETING
    )
    assert session_for_meeting(meeting_id=MEETING, at=START - 30 * MINUTE) == zoom_session
    assert session_for_meeting(meeting_id=MEETING, at=END + 30 * MINUTE) == zoom_session
    assert session_for_meeting(meeting_id=MEETING, at=START - 31 * MINUTE) is None
    assert session_for_meeting(meeting_id=MEETING, at=next_week.starts_at) == next_week
    assert session_for_meeting(meeting_id="999", at=START) is None


# Through signed webhook deliveries


def learner_in(cohort, **user_fields):
    return Enrollment.objects.create(
        learner=UserFactory(**user_fields), course=cohort.course, cohort=cohort, status="active"
    )


def test_meeting_ended_records_attendance_by_registrant_then_email(zoom_session, zoom_send):
    by_registrant = learner_in(zoom_session.cohort)
    ZoomRegistrant.objects.create(
        cohort=zoom_session.cohort, enrollment=by_registrant, registrant_id="reg-1"
    )
    by_email = learner_in(zoom_session.cohort, email="Sam.Lee@example.com")
    participant(zoom_send, "joined", START - 5 * MINUTE, uuid="p1", registrant_id="reg-1")
    participant(zoom_send, "left", START + 40 * MINUTE, uuid="p1", registrant_id="reg-1")
    participant(zoom_send, "joined", START + 15 * MINUTE, uuid="p2", email="sam.lee@EXAMPLE.com")
    meeting_ended(zoom_send)

    first = AttendanceRecord.objects.get(enrollment=by_registrant)
    assert (first.status, first.minutes_attended, first.source) == ("present", 40, "zoom")
    assert first.first_joined_at == START - 5 * MINUTE and first.changed_by is None
    second = AttendanceRecord.objects.get(enrollment=by_email)
    assert (second.status, second.minutes_attended) == ("late", 45)
    assert AttendanceChange.objects.filter(source="zoom", old_status="").count() == 2
    assert not UnmatchedParticipant.objects.exists()


def test_a_learners_name_with_an_unknown_email_is_unmatched(zoom_session, zoom_send):
    learner = learner_in(zoom_session.cohort, first_name="Jill", last_name="Chill")
    participant(zoom_send, "joined", START, uuid="p9", name="Jill Chill", email="jill@home.example")
    participant(zoom_send, "left", START + 50 * MINUTE, uuid="p9", name="Jill Chill")
    meeting_ended(zoom_send)

    assert not AttendanceRecord.objects.filter(enrollment=learner).exists()
    unmatched = UnmatchedParticipant.objects.get()
    assert (unmatched.name, unmatched.email) == ("Jill Chill", "jill@home.example")
    assert (unmatched.minutes_attended, unmatched.first_joined_at) == (50, START)
    assert unmatched.participant_ids == [[INSTANCE, "p9"]] and unmatched.resolved_to is None


def test_resolving_an_unmatched_participant_records_the_learners_attendance(
    zoom_session, zoom_send
):
    learner = learner_in(zoom_session.cohort)
    specialist = course_teacher(zoom_session.cohort.course)
    participant(zoom_send, "joined", START, uuid="p9", email="guest@elsewhere.example")
    participant(zoom_send, "left", START + 50 * MINUTE, uuid="p9")
    meeting_ended(zoom_send)

    record = unmatched_participant_resolve(
        unmatched=UnmatchedParticipant.objects.get(), enrollment_id=learner.pk, by=specialist
    )
    assert (record.status, record.minutes_attended, record.source) == ("present", 50, "zoom")
    assert record.changes.get().changed_by == specialist
    unmatched = UnmatchedParticipant.objects.get()
    assert (unmatched.resolved_to, unmatched.resolved_by) == (learner, specialist)
    assert unmatched.resolved_at is not None
    zoom_attendance_compute(session=zoom_session)  # the resolution holds on a later run
    assert AttendanceChange.objects.count() == 1


def test_computing_twice_changes_nothing_and_audits_nothing_new(zoom_session, zoom_send):
    learner = learner_in(zoom_session.cohort, email="a@example.com")
    participant(zoom_send, "joined", START, uuid="p1", email="a@example.com")
    participant(zoom_send, "left", START + 20 * MINUTE, uuid="p1", email="a@example.com")
    participant(zoom_send, "joined", START + 5 * MINUTE, uuid="p2", email="stranger@example.com")
    meeting_ended(zoom_send)
    before = list(AttendanceRecord.objects.values())

    assert zoom_attendance_compute(session=zoom_session) == []
    assert list(AttendanceRecord.objects.values()) == before
    assert AttendanceChange.objects.count() == 1 and UnmatchedParticipant.objects.count() == 1
    assert AttendanceRecord.objects.get(enrollment=learner).status == "absent"


def test_the_specialists_manual_record_is_never_overwritten(zoom_session, zoom_send):
    learner = learner_in(zoom_session.cohort, email="a@example.com")
    AttendanceRecord.objects.create(
        session=zoom_session, enrollment=learner, status="excused", note="Sick",
        source="manual", changed_at=START,
    )  # fmt: skip
    participant(zoom_send, "joined", START, uuid="p1", email="a@example.com")
    meeting_ended(zoom_send)

    record = AttendanceRecord.objects.get()
    assert (record.status, record.source, record.note) == ("excused", "manual", "Sick")
    assert not AttendanceChange.objects.exists()


def test_a_meeting_no_session_holds_is_acknowledged_and_records_nothing(zoom_session, zoom_send):
    zoom_session.zoom_meeting_id = ""
    zoom_session.save()
    learner_in(zoom_session.cohort, email="a@example.com")
    participant(zoom_send, "joined", START, uuid="p1", email="a@example.com")
    meeting_ended(zoom_send)
    assert not AttendanceRecord.objects.exists()


def test_a_later_computation_updates_the_unmatched_row_and_keeps_its_dismissal(
    zoom_session, zoom_send
):
    participant(zoom_send, "joined", START, uuid="p9", email="speaker@talks.example")
    participant(zoom_send, "left", START + 20 * MINUTE, uuid="p9")
    meeting_ended(zoom_send)
    UnmatchedParticipant.objects.update(dismissed_at=START)
    participant(zoom_send, "joined", START + 30 * MINUTE, uuid="p9", email="speaker@talks.example")

    assert zoom_attendance_compute(session=zoom_session) == []

    unmatched = UnmatchedParticipant.objects.get()
    assert (unmatched.minutes_attended, unmatched.state) == (50, "dismissed")
    assert unmatched.participant_ids == [[INSTANCE, "p9"]]
