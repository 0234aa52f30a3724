"""A cohort's end: once its last session has been held, the beat job completes the cohort and
each learner whose criteria hold (lessons, quizzes, assignments, attendance), and their
certificates follow. Attendance is not final before the end, so nobody completes on it early;
a late grade or attendance correction completes a learner then."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from certification.models import Certificate
from coursepages.models import LessonPage
from learning.models import (
    AssignmentSubmission,
    AttendanceRecord,
    Cohort,
    Enrollment,
    Notification,
    ZoomRegistrant,
)
from learning.services import assignment_submit
from learning.tasks import complete_ended_cohorts
from tests.completion_helpers import (
    do_the_coursework,
    full_marks,
    take_attendance,
    weekly_batch,
)
from tests.learning.zoom_webhooks_helpers import deliver_event
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what the block queues for after its commit (the certificates) when it ends, as
    a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def last_session(cohort):
    return cohort.sessions.order_by("starts_at").last()


def sessions_of(cohort):
    return list(cohort.sessions.order_by("starts_at"))


def completed(cohort):
    return set(
        Enrollment.objects.filter(cohort=cohort, status="completed").values_list("pk", flat=True)
    )


def certified(cohort):
    return set(
        Certificate.objects.filter(enrollment__cohort=cohort, status="valid").values_list(
            "enrollment_id", flat=True
        )
    )


def test_the_briefs_numbers_25_enrolled_8_sessions_23_certificates(
    api_client, monkeypatch, committed
):
    cohort = weekly_batch(monkeypatch)
    sessions = sessions_of(cohort)
    learners = [member_of(cohort) for _ in range(25)]
    six_of_eight, no_assignment = learners[0], learners[1]

    # During the last session: the coursework is done and graded, attendance taken for all 8.
    freeze(monkeypatch, sessions[-1].starts_at + timedelta(minutes=30))
    for enrollment in learners:
        do_the_coursework(enrollment, hand_in=enrollment != no_assignment)
    for number, session in enumerate(sessions, start=1):
        take_attendance(
            api_client,
            session,
            {
                enrollment: "absent"
                if enrollment == six_of_eight and number in (3, 6)
                else "present"
                for enrollment in learners
            },
        )
    assert completed(cohort) == set() and certified(cohort) == set()  # not final yet

    freeze(monkeypatch, sessions[-1].ends_at)
    with committed():
        complete_ended_cohorts.delay()

    qualified = {enrollment.pk for enrollment in learners[2:]}
    assert len(qualified) == 23
    assert completed(cohort) == qualified
    assert certified(cohort) == qualified
    cohort.refresh_from_db()
    assert (cohort.status, cohort.completed_at) == (Cohort.Status.COMPLETED, sessions[-1].ends_at)
    for certificate in Certificate.objects.filter(enrollment__cohort=cohort):
        assert certificate.snapshot["attendance"] == {
            "held": 8,
            "excused": 0,
            "counted": 8,
            "attended": 8,
            "percent": 100.0,
        }
        assert certificate.pdf and certificate.emailed_at is not None
    api_client.force_authenticate(six_of_eight.learner)
    status = api_client.get(f"/api/v1/enrollments/{six_of_eight.pk}/status/")
    assert status.status_code == 200
    attendance = {c["name"]: c for c in status.json()["criteria"]}["attendance"]
    assert (attendance["current"], attendance["met"]) == (75.0, False)  # 6 of 8 against 80

    with committed():
        complete_ended_cohorts.delay()  # again: nothing more
    assert Certificate.objects.filter(enrollment__cohort=cohort).count() == 23
    assert Notification.objects.filter(kind="certificate_issued").count() == 23


def test_exactly_80_percent_qualifies_and_one_session_fewer_does_not(
    api_client, monkeypatch, committed
):
    """Seven sessions, the last cancelled: six held. Ann is excused from one and attends 4 of
    the 5 that count (80 %); Ben, not excused, 4 of 6; Cat, excused, 3 of 5."""
    cohort = weekly_batch(monkeypatch, sessions=7)
    *held, cancelled = sessions_of(cohort)
    cancelled.status = "cancelled"
    cancelled.save()
    ann, ben, cat = (member_of(cohort) for _ in range(3))
    freeze(monkeypatch, held[-1].starts_at + timedelta(minutes=10))
    for enrollment in (ann, ben, cat):
        do_the_coursework(enrollment)
    plans = {  # six held sessions each
        ann: ["present", "present", "excused", "late", "absent", "present"],  # 4 of 5: 80 %
        ben: ["present", "present", "absent", "late", "absent", "present"],  # 4 of 6: 66.7 %
        cat: ["present", "absent", "excused", "late", "absent", "present"],  # 3 of 5: 60 %
    }
    for index, session in enumerate(held):
        take_attendance(api_client, session, {e: plan[index] for e, plan in plans.items()})

    freeze(monkeypatch, held[-1].ends_at)
    with committed():
        complete_ended_cohorts.delay()

    assert completed(cohort) == certified(cohort) == {ann.pk}
    certificate = Certificate.objects.get(enrollment=ann)
    assert certificate.snapshot["attendance"] == {
        "held": 6,
        "excused": 1,
        "counted": 5,
        "attended": 4,
        "percent": 80.0,
    }


def test_the_threshold_comes_from_the_course(api_client, monkeypatch, committed):
    cohort = weekly_batch(monkeypatch, sessions=5, certificate_min_attendance_percent=81)
    sessions = sessions_of(cohort)
    ann = member_of(cohort)
    freeze(monkeypatch, sessions[-1].starts_at)
    do_the_coursework(ann)
    for index, session in enumerate(sessions):
        take_attendance(api_client, session, {ann: "absent" if index == 0 else "present"})

    freeze(monkeypatch, sessions[-1].ends_at)
    with committed():
        complete_ended_cohorts.delay()

    assert completed(cohort) == set()  # 80 % of an 81 % minimum
    assert Cohort.objects.get().status == Cohort.Status.COMPLETED


def test_nothing_ends_until_the_last_session_has_ended(api_client, monkeypatch, committed):
    cohort = weekly_batch(monkeypatch, sessions=2)
    first, last = sessions_of(cohort)
    ann = member_of(cohort)
    freeze(monkeypatch, last.starts_at)
    do_the_coursework(ann)
    take_attendance(api_client, first, {ann: "present"})
    take_attendance(api_client, last, {ann: "present"})

    freeze(monkeypatch, last.ends_at - SECOND)
    with committed():
        ended_now = complete_ended_cohorts.delay().get()
    assert ended_now == []
    assert Cohort.objects.get().status == Cohort.Status.OPEN and completed(cohort) == set()

    freeze(monkeypatch, last.ends_at)
    with committed():
        ended_now = complete_ended_cohorts.delay().get()
    assert ended_now == [cohort.pk]
    assert completed(cohort) == {ann.pk}


def test_a_cancelled_last_session_lets_the_cohort_end_after_the_one_before(
    api_client, monkeypatch, committed
):
    cohort = weekly_batch(monkeypatch, sessions=3)
    *held, last = sessions_of(cohort)
    ann = member_of(cohort)
    freeze(monkeypatch, held[-1].starts_at)
    do_the_coursework(ann)
    for session in held:
        take_attendance(api_client, session, {ann: "present"})
    last.status = "cancelled"
    last.save()

    freeze(monkeypatch, held[-1].ends_at)
    with committed():
        complete_ended_cohorts.delay()

    assert completed(cohort) == {ann.pk}


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_draft_and_cancelled_cohorts_never_end_this_way(monkeypatch, status):
    cohort = weekly_batch(monkeypatch, sessions=1)
    Cohort.objects.filter(pk=cohort.pk).update(status=status)
    freeze(monkeypatch, last_session(cohort).ends_at + timedelta(days=30))
    assert complete_ended_cohorts.delay().get() == []
    assert Cohort.objects.get().completed_at is None


def test_a_cohort_without_sessions_never_ends_this_way(monkeypatch):
    cohort = weekly_batch(monkeypatch, sessions=1)
    cohort.sessions.all().delete()
    freeze(monkeypatch, cohort.enrollment_deadline + timedelta(days=90))
    assert complete_ended_cohorts.delay().get() == []
    assert Cohort.objects.get().status == Cohort.Status.OPEN


def test_a_cohort_the_specialist_completed_early_is_processed_once_it_ends(
    api_client, monkeypatch, committed
):
    cohort = weekly_batch(monkeypatch, sessions=1)
    [session] = sessions_of(cohort)
    ann = member_of(cohort)
    freeze(monkeypatch, session.starts_at)
    do_the_coursework(ann)
    take_attendance(api_client, session, {ann: "present"})
    Cohort.objects.filter(pk=cohort.pk).update(status="completed")
    with committed():
        ended_now = complete_ended_cohorts.delay().get()
    assert ended_now == []  # the session is still under way

    freeze(monkeypatch, session.ends_at)
    with committed():
        ended_now = complete_ended_cohorts.delay().get()
    assert ended_now == [cohort.pk]
    assert completed(cohort) == certified(cohort) == {ann.pk}


# After the end: late grades and corrections


@pytest.fixture
def ended(api_client, monkeypatch, committed):
    """Batch 3 after its two sessions, processed: Ann attended both but her work is not
    graded yet; Ben did everything but missed the second session."""
    cohort = weekly_batch(monkeypatch, sessions=2)
    first, last = sessions_of(cohort)
    ann, ben = member_of(cohort), member_of(cohort)
    freeze(monkeypatch, last.starts_at)
    do_the_coursework(ann, hand_in=False)
    do_the_coursework(ben)
    take_attendance(api_client, first, {ann: "present", ben: "present"})
    take_attendance(api_client, last, {ann: "present", ben: "absent"})
    freeze(monkeypatch, last.ends_at + timedelta(hours=1))
    with committed():
        complete_ended_cohorts.delay()
    assert completed(cohort) == set()
    return cohort, ann, ben


def test_a_grade_after_the_end_completes_the_learner_then(client_for, ended, committed):
    cohort, ann, _ben = ended
    [work] = LessonPage.objects.descendant_of(cohort.course).get().blocks_of_type("assignment")
    submission = assignment_submit(enrollment=ann, assignment_id=work.id, text="Late.")
    assert completed(cohort) == set()  # handed in, not graded

    client = client_for(cohort.course.owner)
    fields = {f"criterion_{c['id']}": c["max_points"] for c in submission.rubric}
    with committed():
        response = client.post(f"/admin/grading/{submission.pk}/", {**fields, "feedback": "Good."})

    assert response.status_code == 302
    assert AssignmentSubmission.objects.get(pk=submission.pk).status == "passed"
    assert completed(cohort) == certified(cohort) == {ann.pk}


def test_an_attendance_correction_after_the_end_completes_the_learner_then(
    api_client, ended, committed
):
    cohort, _ann, ben = ended
    last = last_session(cohort)

    with committed():
        take_attendance(api_client, last, {ben: "excused"})

    assert completed(cohort) == certified(cohort) == {ben.pk}
    certificate = Certificate.objects.get(enrollment=ben)
    assert certificate.snapshot["attendance"] == {
        "held": 2,
        "excused": 1,
        "counted": 1,
        "attended": 1,
        "percent": 100.0,
    }


def test_before_the_end_nobody_completes_on_the_attendance_so_far(api_client, monkeypatch):
    """100 % of the sessions held so far, every other criterion met, one session to come."""
    cohort = weekly_batch(monkeypatch, sessions=2)
    first, last = sessions_of(cohort)
    ann, ben = member_of(cohort), member_of(cohort)
    freeze(monkeypatch, first.ends_at)
    take_attendance(api_client, first, {ann: "present", ben: "absent"})
    do_the_coursework(ann)
    do_the_coursework(ben)

    take_attendance(api_client, first, {ben: "present"})  # a correction, before the end

    assert completed(cohort) == set()
    freeze(monkeypatch, last.ends_at - SECOND)
    api_client.force_authenticate(ann.learner)
    status = api_client.get(f"/api/v1/enrollments/{ann.pk}/status/")
    assert status.status_code == 200
    assert (status.json()["eligible"], status.json()["status"]) == (False, "active")


def test_a_late_grade_for_a_learner_below_the_attendance_minimum_completes_nothing(
    monkeypatch, ended
):
    cohort, _ann, ben = ended
    submission = AssignmentSubmission.objects.get(enrollment=ben)
    full_marks(submission)  # regraded: still 1 of 2 sessions
    assert completed(cohort) == set()


# By hand


def test_the_command_completes_an_ended_cohort_once(api_client, monkeypatch, capsys, committed):
    cohort = weekly_batch(monkeypatch, sessions=1)
    [session] = sessions_of(cohort)
    ann, ben = member_of(cohort), member_of(cohort)
    freeze(monkeypatch, session.starts_at)
    do_the_coursework(ann)
    take_attendance(api_client, session, {ann: "present", ben: "present"})
    with pytest.raises(CommandError, match="completes once its last scheduled session"):
        call_command("cohort_complete", str(cohort.pk))

    freeze(monkeypatch, session.ends_at)
    with committed():
        call_command("cohort_complete", str(cohort.pk))
    assert "1 of 2 active learner(s) completed" in capsys.readouterr().out
    assert completed(cohort) == certified(cohort) == {ann.pk}

    with committed():
        call_command("cohort_complete", str(cohort.pk))
    assert "already completed; nothing changed" in capsys.readouterr().out
    assert Certificate.objects.count() == 1


def test_the_command_names_an_unknown_cohort(db):
    with pytest.raises(CommandError, match="No cohort has the id 999"):
        call_command("cohort_complete", "999")


def test_zoom_attendance_of_the_last_session_after_the_end_completes_the_learner(
    monkeypatch, zoom_secret, committed
):
    """The last session's Zoom report often arrives after the cohort's end (and the beat job)."""
    cohort = weekly_batch(monkeypatch, sessions=1)
    [session] = sessions_of(cohort)
    session.zoom_meeting_id = "1234567890"
    session.save()
    ann = member_of(cohort)
    ZoomRegistrant.objects.create(cohort=cohort, enrollment=ann, registrant_id="reg-ann")
    freeze(monkeypatch, session.starts_at)
    do_the_coursework(ann)
    freeze(monkeypatch, session.ends_at + timedelta(minutes=10))
    complete_ended_cohorts.delay()
    assert completed(cohort) == set()  # absent, for all we know yet

    instance = {"id": "1234567890", "uuid": "4444AAAiAAAAAiAiAiiAii=="}
    joined = {"participant_uuid": "p1", "registrant_id": "reg-ann", "user_name": "Ann"}
    at = f"{session.starts_at:%Y-%m-%dT%H:%M:%SZ}"
    with committed():
        for event, obj in [
            ("meeting.participant_joined", instance | {"participant": joined | {"join_time": at}}),
            ("meeting.ended", instance | {"start_time": at, "end_time": at}),
        ]:
            assert deliver_event(event, obj, at=timezone.now()).status_code == 200

    assert AttendanceRecord.objects.get(enrollment=ann).status == "present"
    assert completed(cohort) == certified(cohort) == {ann.pk}
