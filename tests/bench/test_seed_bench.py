"""`manage.py seed_bench` builds a valid page tree the API serves like any other."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from bench.management.commands.seed_bench import COHORT_NAME
from commerce.models import LedgerEntry, Order
from coursepages.models import CoursePage, LessonPage, ModulePage
from coursepages.selectors import course_teacher
from learning.models import (
    AssignmentSubmission,
    AttendanceRecord,
    Cohort,
    Enrollment,
    QuizAttempt,
    UnmatchedParticipant,
)

pytestmark = pytest.mark.django_db


def test_seed_bench_builds_a_sound_tree_the_catalog_serves(api_client):
    out = io.StringIO()
    call_command("seed_bench", courses=3, modules=2, lessons=3, stdout=out)

    assert "Created 3 courses (27 pages)" in out.getvalue()
    assert all(problems == [] for problems in Page.find_problems())
    assert (CoursePage.objects.count(), ModulePage.objects.count(), LessonPage.objects.count()) == (
        3,
        6,
        18,
    )

    listing = api_client.get("/api/v1/courses/").json()
    assert listing["count"] == 3
    detail = api_client.get(f"/api/v1/courses/{listing['results'][0]['id']}/").json()
    assert [len(module["lessons"]) for module in detail["syllabus"]] == [3, 3]


def test_seed_bench_adds_to_an_existing_catalog(api_client):
    call_command("seed_bench", courses=2, modules=1, lessons=1, stdout=io.StringIO())
    call_command("seed_bench", courses=2, modules=1, lessons=1, stdout=io.StringIO())
    assert all(problems == [] for problems in Page.find_problems())
    assert api_client.get("/api/v1/courses/").json()["count"] == 4


def test_seed_bench_enrolls_learners_part_way_through_courses_with_quizzes(api_client):
    call_command(
        "seed_bench", courses=4, modules=2, lessons=3, learners=5, enrollments=2,
        stdout=io.StringIO(),
    )  # fmt: skip
    assert Enrollment.objects.filter(status="active").count() == 10

    enrollment = Enrollment.objects.first()
    api_client.force_authenticate(enrollment.learner)
    mine = api_client.get("/api/v1/enrollments/").json()
    assert mine["count"] == 2
    assert all(0 <= e["progress"]["completed_lessons"] <= 3 for e in mine["results"])

    quizzed = LessonPage.objects.filter(has_quiz=True).descendant_of(enrollment.course).first()
    lesson = api_client.get(f"/api/v1/enrollments/{enrollment.pk}/lessons/{quizzed.pk}/").json()
    [quiz] = [block for block in lesson["body"] if block["type"] == "quiz"]
    assert len(quiz["value"]["questions"]) == 5
    quiz_ids = [lesson.body[1].id for lesson in LessonPage.objects.filter(has_quiz=True)]
    assert len(set(quiz_ids)) == len(quiz_ids) == 8


def test_seed_bench_can_add_a_full_cohort_whose_roster_the_specialist_reads(api_client):
    call_command(
        "seed_bench", courses=3, modules=1, lessons=2, learners=4, enrollments=1, cohort_seats=30,
        stdout=io.StringIO(),
    )  # fmt: skip
    cohort = Cohort.objects.select_related("course").get(name=COHORT_NAME)
    assert (cohort.course.course_type, cohort.capacity, cohort.seats_taken) == ("cohort", 30, 30)
    assert not Enrollment.objects.filter(course=cohort.course, cohort=None).exists()
    assert Enrollment.objects.filter(cohort=cohort, status="active").count() == 30

    api_client.force_authenticate(course_teacher(cohort.course))
    roster = api_client.get(f"/api/v1/cohorts/{cohort.pk}/enrollments/").json()
    assert roster["count"] == 30
    assert all(0 <= row["progress_percent"] <= 100 for row in roster["results"])


def test_the_full_cohorts_sessions_were_held_in_zoom_with_attendance_computed(api_client):
    call_command(
        "seed_bench", courses=2, modules=1, lessons=1, learners=2, enrollments=1, cohort_seats=30,
        stdout=io.StringIO(),
    )  # fmt: skip
    cohort = Cohort.objects.select_related("course").get(name=COHORT_NAME)
    assert cohort.sessions.filter(zoom_meeting_id__gt="").count() == 8
    records = AttendanceRecord.objects.filter(session__cohort=cohort, source="zoom")
    assert 8 * 25 <= records.count() <= 8 * 30  # a few stayed away
    assert {record.status for record in records} >= {"present", "late"}
    assert UnmatchedParticipant.objects.filter(session__cohort=cohort).count() == 8 * 2

    api_client.force_authenticate(course_teacher(cohort.course))
    unmatched = api_client.get(f"/api/v1/cohorts/{cohort.pk}/unmatched-participants/")
    assert unmatched.status_code == 200 and unmatched.json()["count"] == 16


def test_seed_bench_runs_courses_as_cohorts_whose_learners_have_calendar_feeds(api_client):
    call_command(
        "seed_bench", courses=3, modules=1, lessons=1, learners=4, enrollments=2, cohorts=2,
        stdout=io.StringIO(),
    )  # fmt: skip
    cohorts = Cohort.objects.select_related("course")
    assert [cohort.course.course_type for cohort in cohorts] == ["cohort", "cohort"]
    assert all(cohort.sessions.count() == 8 for cohort in cohorts)
    assert all(
        cohort.seats_taken == cohort.enrollments.count() <= cohort.capacity for cohort in cohorts
    )
    learner = Enrollment.objects.filter(cohort__isnull=False).first().learner
    in_cohorts = Enrollment.objects.filter(learner=learner, cohort__isnull=False).count()

    api_client.force_authenticate(learner)
    url = api_client.get("/api/v1/me/calendar/").json()["url"]
    api_client.force_authenticate(None)
    feed = api_client.get("/" + url.split("://", 1)[1].split("/", 1)[1])

    assert feed.status_code == 200
    assert feed.content.count(b"BEGIN:VEVENT") == 8 * in_cohorts


def test_seed_bench_activity_is_a_consistent_year_of_learning_and_money():
    out = io.StringIO()
    call_command(
        "seed_bench", courses=6, modules=2, lessons=3, learners=40, enrollments=3,
        activity_days=365, specialist_courses=4, stdout=out,
    )  # fmt: skip
    assert "Activity over 365 days: 120 enrollments" in out.getvalue()
    now = timezone.now()
    year_ago = now - timedelta(days=365)
    enrollments = Enrollment.objects.all()
    assert enrollments.count() == 120
    assert all(year_ago <= e.activated_at < now for e in enrollments)
    assert all(e.created_at < e.activated_at for e in enrollments)
    completed = enrollments.filter(status="completed")
    assert completed.exists() and enrollments.filter(status="active").exists()
    assert not enrollments.filter(status="active", completed_at__isnull=False).exists()

    for enrollment in enrollments.prefetch_related("completions", "quiz_attempts", "submissions"):
        done = sorted(c.completed_at for c in enrollment.completions.all())
        assert all(enrollment.activated_at < at < now for at in done)
        attempts = list(enrollment.quiz_attempts.all())
        assert all(enrollment.activated_at < a.submitted_at < now for a in attempts)
        submissions = list(enrollment.submissions.all())
        assert all(done and s.submitted_at > done[-1] for s in submissions)
        assert all(s.graded_at is None or s.submitted_at < s.graded_at < now for s in submissions)
        if enrollment.status == "completed":
            assert len(done) == 6 and enrollment.completed_at < now
            passed = [s for s in submissions if s.status == "passed"]
            assert len(passed) == 1 and passed[0].graded_at < enrollment.completed_at
            assert all(a.passed for a in attempts if a.number == max(
                b.number for b in attempts if b.quiz_id == a.quiz_id
            ))  # fmt: skip
    assert QuizAttempt.objects.filter(passed=True).exists()
    assert QuizAttempt.objects.filter(passed=False).exists()
    assert AssignmentSubmission.objects.filter(graded_at__isnull=False).exists()

    for order in Order.objects.prefetch_related("ledger_entries", "refunds"):
        amounts = {e.kind: e.amount for e in order.ledger_entries.all() if e.refund_id is None}
        assert amounts == {
            "sale": order.amount,
            "platform_fee": order.platform_fee,
            "specialist_share": order.specialist_share,
        }
        for refund in order.refunds.all():
            back = {e.kind: e.amount for e in refund.ledger_entries.all()}
            assert back["refund"] == -refund.amount < 0
            assert back["fee_reversal"] + back["share_reversal"] == -refund.amount
            assert order.paid_at < refund.created_at < now
    assert LedgerEntry.objects.filter(kind="refund").exists() or Order.objects.count() < 20
    taught = Counter(CoursePage.objects.values_list("instructor", flat=True))
    assert taught.most_common(1)[0][1] == 4
