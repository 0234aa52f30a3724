"""`manage.py seed_demo` builds a working demo, once."""

import io
import zoneinfo
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, WorkflowState

from certification.models import Certificate
from coursepages.models import CoursePage, LessonPage
from coursepages.readiness import readiness_problems
from learning.models import AttendanceRecord, Cohort, Enrollment, UnmatchedParticipant, ZoomEvent
from tests.admin_helpers import admin_sign_in

pytestmark = pytest.mark.django_db


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "pages": sorted(Page.objects.values_list("pk", "path", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "documents": get_document_model().objects.count(),
        "images": get_image_model().objects.count(),
        "workflows": WorkflowState.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "cohorts": sorted(Cohort.objects.values_list("pk", "seats_taken")),
    }


def test_seed_creates_the_demo_and_prints_working_logins(client):
    output = seed()

    for username in ("admin", "editor", "specialist", "learner"):
        assert f"{username:<11} / demo1234" in output
        assert admin_sign_in(client, username, "demo1234")
    published = CoursePage.objects.live()
    assert sorted(published.values_list("price", flat=True)) == [0, 99, 299]
    for course in published:
        assert readiness_problems(course) == []
        assert LessonPage.objects.descendant_of(course).live().count() >= 4
    in_review = CoursePage.objects.get(live=False)
    state = WorkflowState.objects.for_instance(in_review).get()
    assert state.current_task_state.task.name == "Editors approval"

    masterclass = CoursePage.objects.get(slug="python-masterclass")
    assert masterclass.course_type == "cohort"
    now = timezone.now()
    new_york = zoneinfo.ZoneInfo("America/New_York")
    finished, running = (
        Cohort.objects.get(course=masterclass, name=name) for name in ("Batch 3", "Batch 4")
    )
    for batch, learners in ((finished, 5), (running, 3)):
        assert (batch.capacity, batch.seats_taken, batch.timezone) == (
            30,
            learners,
            "America/New_York",
        )
        paid = Enrollment.objects.filter(cohort=batch, orders__status="paid")
        assert paid.count() == learners
        local_starts = [s.starts_at.astimezone(new_york) for s in batch.sessions.all()]
        assert len(local_starts) == 8
        assert {start.strftime("%a %H:%M") for start in local_starts} == {"Tue 19:00", "Thu 19:00"}
        assert (
            local_starts[0].date() == batch.starts_on and local_starts[-1].date() == batch.ends_on
        )
    assert finished.sessions.order_by("starts_at").last().ends_at < now - timedelta(days=5)
    assert finished.enrollment_deadline < now
    running_starts = [s.starts_at for s in running.sessions.all()]
    assert min(running_starts) < now < max(running_starts)
    assert running.enrollment_deadline > now
    assert Cohort.objects.filter(course=masterclass, name="Batch 5", status="open").exists()

    bodies = [block.block_type for lesson in LessonPage.objects.all() for block in lesson.body]
    assert {"video", "document", "quiz", "assignment"} <= set(bodies)


def test_the_finished_batch_has_attendance_from_signed_zoom_events_and_one_resolved_by_hand():
    seed()

    finished = Cohort.objects.get(name="Batch 3")
    assert ZoomEvent.objects.count() == 80 and not ZoomEvent.objects.filter(processed_at=None)
    attended = {
        learner: sorted(statuses)
        for learner, statuses in _by_learner(
            AttendanceRecord.objects.filter(session__cohort=finished).values_list(
                "enrollment__learner__username", "status"
            )
        ).items()
    }
    assert attended == {
        "grace": ["present"] * 5,
        "ines": ["present"] * 7,
        "maya": ["present"] * 8,
        "omar": ["late"] + ["present"] * 6,
        "tomasz": ["present"] * 8,
    }
    unmatched = UnmatchedParticipant.objects.get(session__cohort=finished)
    assert unmatched.email == "ines.costa.home@example.net"
    assert unmatched.resolved_to.learner.username == "ines"
    assert unmatched.resolved_by.username == "specialist"
    resolved = AttendanceRecord.objects.get(
        session=unmatched.session, enrollment=unmatched.resolved_to
    )
    assert resolved.changes.get().changed_by.username == "specialist"


def _by_learner(pairs):
    grouped = {}
    for learner, status in pairs:
        grouped.setdefault(learner, []).append(status)
    return grouped


def test_seeding_twice_changes_nothing():
    seed()
    before = snapshot()
    seed()
    assert snapshot() == before


def test_seed_refuses_outside_local_settings(settings):
    settings.DEMO_SEED_ALLOWED = False
    with pytest.raises(CommandError, match="local settings only"):
        seed()
    assert not get_user_model().objects.filter(username="admin").exists()


def test_the_finished_batch_is_completed_with_certificates_for_those_who_qualify(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # certificates follow commits
        seed()

    finished = Cohort.objects.get(name="Batch 3")
    assert finished.status == "completed" and finished.completed_at is not None
    stated = {
        certificate.learner.username: certificate.snapshot["attendance"]
        for certificate in Certificate.objects.filter(enrollment__cohort=finished)
    }
    assert {name: (a["attended"], a["counted"], a["percent"]) for name, a in stated.items()} == {
        "maya": (8, 8, 100.0),
        "omar": (7, 8, 87.5),
        "ines": (7, 8, 87.5),
        "tomasz": (8, 8, 100.0),
    }  # grace, at 5 of 8, has none


def test_the_last_session_of_the_finished_batch_has_a_recording_for_its_members_only(api_client):
    seed()
    finished = Cohort.objects.get(name="Batch 3")
    last = finished.sessions.order_by("starts_at").last()
    url = f"/api/v1/cohorts/{finished.pk}/sessions/{last.pk}/recording/"
    users = get_user_model().objects

    api_client.force_authenticate(users.get(username="maya"))
    member = api_client.get(url)
    assert member.status_code == 200, member.content
    assert member.json()["available"] is True and member.json()["source"] == "url"
    watched = api_client.get(member.json()["url"])
    assert watched.status_code == 302
    assert watched["Location"] == "https://videos.example.com/python-masterclass/batch-3/session-8"
    assert users.get(username="maya").notifications.filter(kind="recording_available").count() == 1

    api_client.force_authenticate(users.get(username="noah"))  # Batch 4, not a member
    refused = api_client.get(url)
    assert refused.status_code == 404, refused.content
    api_client.force_authenticate(None)
    assert api_client.get(url).status_code == 401
