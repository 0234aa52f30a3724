"""Notifications: created from learning events, e-mailed once, read on the dashboard."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from learning.models import Notification
from learning.tasks import email_unsent_notifications, send_notification_email
from tests.api_helpers import assert_problem
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(api_client, learner, django_capture_on_commit_callbacks):
    learner.first_name = "Lena"
    learner.save()
    course = build_course(title="Charts 101", price=Decimal("0"))
    api_client.force_authenticate(learner)
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post("/api/v1/enrollments/", {"course": course.pk})
    return api_client


def test_enrolling_notifies_on_the_dashboard_and_by_email(enrolled, learner):
    [notification] = enrolled.get("/api/v1/notifications/").json()["results"]
    [email] = mail.outbox

    assert (notification["kind"], notification["title"]) == (
        "enrolled",
        "You're enrolled in Charts 101",
    )
    assert notification["read_at"] is None
    assert email.to == [learner.email] and email.subject == "You're enrolled in Charts 101"
    assert "Hello Lena" in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html" and "<h1" in html


@pytest.mark.parametrize(("extra", "shown"), [(0, "C" * 181), (1, "C" * 180 + "…")])
def test_a_title_over_what_a_notification_holds_is_cut_with_an_ellipsis(
    api_client, learner, django_capture_on_commit_callbacks, extra, shown
):
    # "You're enrolled in " is 19 characters: 181 of the course's make exactly 200.
    course = build_course(title="C" * (181 + extra), price=Decimal("0"))
    api_client.force_authenticate(learner)
    with django_capture_on_commit_callbacks(execute=True):
        enrolled = api_client.post("/api/v1/enrollments/", {"course": course.pk})
    assert enrolled.status_code == 201, enrolled.content

    [notification] = api_client.get("/api/v1/notifications/").json()["results"]
    assert len(notification["title"]) == 200
    assert notification["title"] == "You're enrolled in " + shown


def test_the_email_task_is_safe_to_run_twice(enrolled):
    notification = Notification.objects.get()
    send_notification_email(notification.pk)
    send_notification_email(notification.pk)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("after", "sent"),
    [
        (timedelta(minutes=10, microseconds=-1), 0),  # its own task may still be on its way
        (timedelta(minutes=10), 1),
        (timedelta(days=1, microseconds=-1), 1),
        (timedelta(days=1), 0),  # too late to be worth sending
    ],
)
def test_a_notification_whose_e_mail_task_was_lost_is_e_mailed_by_the_sweep(
    api_client, learner, django_capture_on_commit_callbacks, monkeypatch, after, sent
):
    api_client.force_authenticate(learner)
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the task
        enrolled = api_client.post(
            "/api/v1/enrollments/", {"course": build_course(price=Decimal("0")).pk}
        )
    assert enrolled.status_code == 201
    notification = Notification.objects.get()
    monkeypatch.setattr(timezone, "now", lambda: notification.created_at + after)

    email_unsent_notifications.delay()
    email_unsent_notifications.delay()

    assert len(mail.outbox) == sent
    if sent:
        assert mail.outbox[0].subject == notification.title


def test_the_sweep_leaves_certificate_notifications_to_the_certificate_e_mail(learner, monkeypatch):
    notification = Notification.objects.create(
        user=learner, kind="certificate_issued", title="Your certificate", body="."
    )
    monkeypatch.setattr(timezone, "now", lambda: notification.created_at + timedelta(hours=1))
    email_unsent_notifications.delay()
    assert mail.outbox == []


def test_reading_marks_it_read_once(enrolled):
    notification = Notification.objects.get()
    first = enrolled.post(f"/api/v1/notifications/{notification.pk}/read/").json()
    second = enrolled.post(f"/api/v1/notifications/{notification.pk}/read/").json()

    assert first["read_at"] is not None and first == second
    assert enrolled.get("/api/v1/notifications/", {"unread": "true"}).json()["results"] == []


def test_someone_elses_notification_is_invisible(api_client, enrolled):
    notification = Notification.objects.get()
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/notifications/").json()["results"] == []
    assert_problem(
        api_client.post(f"/api/v1/notifications/{notification.pk}/read/"), 404, "not_found"
    )
    api_client.force_authenticate(None)
    assert_problem(api_client.get("/api/v1/notifications/"), 401, "not_authenticated")


def test_notification_list_runs_a_fixed_number_of_queries(
    enrolled, learner, django_assert_max_num_queries
):
    for n in range(5):
        Notification.objects.create(user=learner, kind="enrolled", title=f"N{n}", body="")
    with django_assert_max_num_queries(2):
        assert len(enrolled.get("/api/v1/notifications/").json()["results"]) == 6
