"""The demo's journeys, end to end on the seeded data.

Free: a learner finds the free course, enrolls, learns every lesson, passes its quiz
and hands in its assignment; the specialist grades it in the Wagtail admin; the
learner is then eligible and completed, and holds a certificate nobody had to issue.
Paid: a learner pays for the $99 course with the development provider; the course
opens and the money splits $29.70 / $69.30."""

import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from analytics.models import CourseDailyRevenue, CourseDailyStats
from commerce.models import LedgerEntry
from learning.models import AssignmentSubmission, Enrollment, LessonCompletion, QuizAttempt
from tests.admin_helpers import admin_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def signed_in(email):
    client = APIClient()
    tokens = client.post("/api/v1/auth/token/", {"email": email, "password": "demo1234"}).json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client


def answer_by_reading(quiz, wanted):
    """Choose answers the way a learner does: by the choice text they can see."""
    return {
        question["id"]: [choice["id"] for choice in question["choices"] if choice["text"] in wanted]
        for question in quiz["questions"]
    }


@pytest.mark.usefixtures("demo")
def test_the_free_course_journey_from_enrolling_to_eligible(
    client, django_capture_on_commit_callbacks
):
    learner = signed_in("learner@example.com")
    [course] = learner.get("/api/v1/courses/?free=true").json()["results"]
    assert course["title"] == "Writing Clear Technical Docs"

    with django_capture_on_commit_callbacks(execute=True):
        enrollment = learner.post("/api/v1/enrollments/", {"course": course["id"]}).json()
    assert enrollment["status"] == "active"
    base = f"/api/v1/enrollments/{enrollment['id']}/"

    blocks = {}
    for module in learner.get(base).json()["modules"]:
        for lesson in module["lessons"]:
            content = learner.get(f"{base}lessons/{lesson['id']}/").json()
            blocks.update({block["type"]: block for block in content["body"]})
            assert learner.post(f"{base}lessons/{lesson['id']}/complete/").status_code == 200

    quiz = blocks["quiz"]
    answers = answer_by_reading(quiz["value"], {"Run the installer."})
    attempt = learner.post(f"{base}quizzes/{quiz['id']}/submit/", {"answers": answers}).json()
    assert attempt["passed"] is True

    handed_in = learner.post(
        f"{base}assignments/{blocks['assignment']['id']}/submit/",
        {"url": "https://example.com/my-readme"},
    )
    assert handed_in.status_code == 201
    status = learner.get(f"{base}status/").json()
    assert status["eligible"] is False
    assert [c["name"] for c in status["criteria"] if not c["met"]] == ["assignments"]

    assert admin_sign_in(client, "specialist", "demo1234")
    submission = handed_in.json()
    grade_form = client.get(f"/admin/grading/{submission['id']}/")
    assert "https://example.com/my-readme" in grade_form.content.decode()
    scores = {f"criterion_{c['id']}": c["max_points"] for c in submission["rubric"]}
    with django_capture_on_commit_callbacks(execute=True):
        graded = client.post(
            f"/admin/grading/{submission['id']}/", {**scores, "feedback": "Clear and friendly."}
        )
    assert graded.status_code == 302

    status = learner.get(f"{base}status/").json()
    assert (status["eligible"], status["status"]) == (True, "completed")
    assert all(criterion["met"] for criterion in status["criteria"])
    kinds = [n["kind"] for n in learner.get("/api/v1/notifications/").json()["results"]]
    assert kinds == ["certificate_issued", "course_completed", "submission_graded", "enrolled"]
    to_learner = [m.subject for m in mail.outbox if m.to == ["learner@example.com"]]
    assert to_learner == [
        "You're enrolled in Writing Clear Technical Docs",
        "“Rewrite a README” was graded",
        "You completed Writing Clear Technical Docs",
        "Your certificate: Writing Clear Technical Docs",
    ]

    # Nobody acted, yet the certificate is there, and its QR code's page says valid.
    [certificate] = learner.get("/api/v1/certificates/").json()["results"]
    assert (certificate["status"], certificate["learner_name"]) == ("valid", "Lena Park")
    pdf = learner.get(f"/api/v1/certificates/{certificate['code']}/pdf/")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    page = client.get(urlsplit(certificate["verify_url"]).path)
    assert page.status_code == 200 and "Valid certificate" in page.content.decode()


@pytest.mark.usefixtures("demo")
def test_the_paid_course_journey_with_the_development_checkout():
    learner = signed_in("learner@example.com")
    self_paced = "/api/v1/courses/?free=false&course_type=self_paced"
    [course] = learner.get(self_paced).json()["results"]
    assert (course["title"], course["price"]) == (
        "Data Visualisation Fundamentals", {"amount": "99.00", "currency": "USD"},
    )  # fmt: skip
    enrollment = learner.post("/api/v1/enrollments/", {"course": course["id"]}).json()
    base = f"/api/v1/enrollments/{enrollment['id']}/"
    paid_lesson = learner.get(base).json()["modules"][1]["lessons"][0]["id"]
    assert learner.get(f"{base}lessons/{paid_lesson}/").status_code == 403

    order = learner.post(f"{base}payment/").json()
    browser = Client()  # the learner's browser on the checkout page
    assert "99.00 USD" in browser.get(order["checkout_url"]).content.decode()
    browser.post(order["checkout_url"], {"action": "pay"})

    assert learner.get(base).json()["status"] == "active"
    assert learner.get(f"{base}lessons/{paid_lesson}/").status_code == 200
    sale = LedgerEntry.objects.filter(order__course_id=course["id"])
    split = dict(sale.values_list("kind", "amount"))
    assert split == {"sale": 9900, "platform_fee": 2970, "specialist_share": 6930}
    specialist = signed_in("specialist@example.com")
    [totals] = specialist.get("/api/v1/specialist/earnings/").json()["totals"]
    # This sale on top of the eight seeded Python Masterclass seats at $299 (Batches 3 and 4).
    assert (totals["gross"], totals["fees"], totals["net"]) == ("2491.00", "747.30", "1743.70")


@pytest.mark.usefixtures("demo")
def test_the_specialist_sees_the_demos_past_weeks_in_the_analytics_snapshots():
    stats = CourseDailyStats.objects.all()
    today = timezone.now().date()
    past_days = set(stats.filter(day__lt=today - timedelta(days=1)).values_list("day", flat=True))
    assert len(past_days) >= 5
    assert min(past_days) >= today - timedelta(days=70)
    sums = stats.aggregate(*(Sum(field) for field in (
        "new_enrollments", "lesson_completions", "quiz_attempts", "quiz_passes",
        "assignment_submissions", "assignment_gradings", "completions",
    )))  # fmt: skip
    activated = Enrollment.objects.filter(activated_at__isnull=False)
    assert sums == {
        "new_enrollments__sum": activated.count(),
        "lesson_completions__sum": LessonCompletion.objects.count(),
        "quiz_attempts__sum": QuizAttempt.objects.count(),
        "quiz_passes__sum": QuizAttempt.objects.filter(passed=True).count(),
        "assignment_submissions__sum": AssignmentSubmission.objects.count(),
        "assignment_gradings__sum": AssignmentSubmission.objects.exclude(graded_at=None).count(),
        "completions__sum": Enrollment.objects.exclude(completed_at=None).count(),
    }
    assert sums["new_enrollments__sum"] == 8 and sums["lesson_completions__sum"] > 0
    revenue = CourseDailyRevenue.objects.aggregate(Sum("gross"), Sum("sales"))
    sales = LedgerEntry.objects.filter(kind="sale")
    assert revenue == {
        "gross__sum": sales.aggregate(Sum("amount"))["amount__sum"],
        "sales__sum": sales.count(),
    }
    assert CourseDailyRevenue.objects.values("day").distinct().count() >= 5

    # Each learner's timeline is in order: paid and activated, then lessons, then graded.
    for enrollment in activated.prefetch_related("completions", "submissions", "orders"):
        assert enrollment.created_at <= enrollment.activated_at
        assert all(o.paid_at == enrollment.activated_at for o in enrollment.orders.all())
        for completion in enrollment.completions.all():
            assert enrollment.activated_at < completion.completed_at < timezone.now()
            if enrollment.completed_at:
                assert completion.completed_at < enrollment.completed_at
        for submission in enrollment.submissions.exclude(graded_at=None):
            assert enrollment.activated_at < submission.submitted_at < submission.graded_at

    specialist = signed_in("specialist@example.com")
    since = today - timedelta(days=90)
    report = specialist.get(f"/api/v1/specialist/analytics/?from={since}&to={today}").json()
    assert report["totals"]["new_enrollments"]["value"] == 8
