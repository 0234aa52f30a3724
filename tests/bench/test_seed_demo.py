"""`manage.py seed_demo` builds a working demo, once."""

import io
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, WorkflowState

from coursepages.models import CoursePage, LessonPage
from coursepages.readiness import readiness_problems
from learning.models import Cohort, Enrollment

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
        assert client.login(username=username, password="demo1234")
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
    batch = Cohort.objects.get(course=masterclass, name="Batch 3")
    assert (batch.capacity, batch.seats_taken, batch.timezone) == (30, 5, "America/New_York")
    assert batch.enrollment_deadline > timezone.now()
    paid = Enrollment.objects.filter(cohort=batch, status="active", orders__status="paid")
    assert paid.count() == 5
    sessions = list(batch.sessions.all())
    assert len(sessions) == 8
    new_york = zoneinfo.ZoneInfo("America/New_York")
    local_starts = [session.starts_at.astimezone(new_york) for session in sessions]
    assert {start.strftime("%a %H:%M") for start in local_starts} == {"Tue 19:00", "Thu 19:00"}
    assert local_starts[0].date() == batch.starts_on and local_starts[-1].date() == batch.ends_on
    now = timezone.now()
    assert any(s.starts_at < now for s in sessions) and any(s.starts_at > now for s in sessions)
    assert Cohort.objects.filter(course=masterclass, name="Batch 4", status="open").exists()

    bodies = [block.block_type for lesson in LessonPage.objects.all() for block in lesson.body]
    assert {"video", "document", "quiz", "assignment"} <= set(bodies)


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
