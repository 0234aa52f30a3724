"""A person looks after their own account through the API: names, password change and reset,
e-mail verification, sign-out, a data export, and closing the account. Each refused from the
side of whoever must be refused."""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from certification.models import Certificate
from certification.services import certificate_issue
from commerce.models import LedgerEntry
from coursepages.models import LessonPage
from learning.models import CourseReview, Enrollment, Notification
from learning.services import enrollment_create, lesson_complete
from learning.services.reviews import review_save
from tests.api_helpers import assert_problem
from tests.commerce.helpers import pay
from tests.factories import (
    PASSWORD,
    CompletedEnrollmentFactory,
    EditorFactory,
    SpecialistFactory,
    UserFactory,
    build_course,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-unusual-passphrase-7"


def sign_in(api_client, email, password=PASSWORD):
    return api_client.post("/api/v1/auth/token/", {"email": email, "password": password})


def bearer(api_client, access):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api_client


@pytest.fixture
def ada(db):
    return UserFactory(email="ada@example.com", first_name="", last_name="")


@pytest.fixture
def ada_client(api_client, ada):
    tokens = sign_in(api_client, ada.email).json()
    bearer(api_client, tokens["access"]).tokens = tokens
    return api_client


def link_in(message) -> dict[str, str]:
    url = re.search(r"https?://\S+", message.body).group(0)
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


# Names ---------------------------------------------------------------------------------------


def test_a_learner_sets_the_names_certificates_print(ada_client, ada):
    response = ada_client.patch("/api/v1/me/", {"first_name": " Ada ", "last_name": "Lovelace"})

    assert response.status_code == 200
    assert response.json() == {
        "id": ada.pk,
        "email": "ada@example.com",
        "email_verified": False,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "roles": ["learner"],
    }
    enrollment = CompletedEnrollmentFactory(learner=ada)
    assert certificate_issue(enrollment=enrollment).learner_name == "Ada Lovelace"


def test_without_a_name_a_certificate_never_prints_the_e_mail(ada):
    certificate = certificate_issue(enrollment=CompletedEnrollmentFactory(learner=ada))
    assert "@" not in certificate.learner_name and "ada" not in certificate.learner_name


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"first_name": "ada@example.com"}, "first_name"),
        ({"last_name": "x" * 151}, "last_name"),
        ({"first_name": 7 * [1]}, "first_name"),
    ],
)
def test_a_name_that_is_an_address_or_too_long_is_refused_and_nothing_changes(
    ada_client, ada, data, field
):
    body = assert_problem(ada_client.patch("/api/v1/me/", data, format="json"), 400, "invalid")
    assert list(body["errors"]) == [field]
    ada.refresh_from_db()
    assert (ada.first_name, ada.last_name) == ("", "")


def test_a_name_of_150_characters_is_the_longest_kept(ada_client, ada):
    assert ada_client.patch("/api/v1/me/", {"last_name": "x" * 150}).status_code == 200
    ada.refresh_from_db()
    assert len(ada.last_name) == 150


def test_nobody_edits_a_profile_without_signing_in(api_client, ada):
    assert_problem(api_client.patch("/api/v1/me/", {"first_name": "Eve"}), 401, "not_authenticated")
    ada.refresh_from_db()
    assert ada.first_name == ""


def test_me_reads_in_two_queries(ada_client, django_assert_num_queries):
    with django_assert_num_queries(3):  # the user, their groups, whether the address is verified
        assert ada_client.get("/api/v1/me/").status_code == 200


# Password change -----------------------------------------------------------------------------


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(ada_client, api_client, ada):
    old = ada_client.tokens
    response = ada_client.post(
        "/api/v1/auth/password/change/",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 200
    new = response.json()
    assert set(new) == {"access", "refresh"}
    assert bearer(api_client, new["access"]).get("/api/v1/me/").status_code == 200
    assert_problem(bearer(api_client, old["access"]).get("/api/v1/me/"), 401, "password_changed")
    api_client.credentials()
    refreshed = api_client.post("/api/v1/auth/token/refresh/", {"refresh": old["refresh"]})
    assert_problem(refreshed, 401, "password_changed")
    assert sign_in(api_client, ada.email, NEW_PASSWORD).status_code == 200


def test_a_wrong_current_password_changes_nothing(ada_client, ada):
    response = ada_client.post(
        "/api/v1/auth/password/change/", {"current_password": "guess", "new_password": NEW_PASSWORD}
    )
    assert_problem(response, 400, "wrong_password")
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_by_the_password_rules(ada_client, ada):
    response = ada_client.post(
        "/api/v1/auth/password/change/", {"current_password": PASSWORD, "new_password": "password"}
    )
    body = assert_problem(response, 400, "invalid")
    assert list(body["errors"]) == ["non_field_errors"]
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


# Password reset ------------------------------------------------------------------------------


def ask_reset(api_client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return api_client.post("/api/v1/auth/password/reset/", {"email": email})


def test_a_reset_link_sets_a_new_password_once(
    api_client, ada, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask_reset(api_client, "ADA@example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 202
    assert [message.to for message in mailoutbox] == [["ada@example.com"]]
    link = link_in(mailoutbox[0])

    confirm = {**link, "new_password": NEW_PASSWORD}
    used = api_client.post("/api/v1/auth/password/reset/confirm/", confirm)

    assert used.status_code == 204
    assert sign_in(api_client, ada.email, NEW_PASSWORD).status_code == 200
    again = api_client.post(
        "/api/v1/auth/password/reset/confirm/", {**confirm, "new_password": "x" + NEW_PASSWORD}
    )
    assert_problem(again, 400, "invalid_link")
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD)


def test_asking_for_an_unknown_address_answers_alike_and_sends_nothing(
    api_client, ada, mailoutbox, django_capture_on_commit_callbacks
):
    known = ask_reset(api_client, ada.email, django_capture_on_commit_callbacks)
    unknown = ask_reset(api_client, "eve@example.com", django_capture_on_commit_callbacks)

    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(("age", "works"), [(3600, True), (3601, False)])
def test_a_reset_link_works_for_an_hour(api_client, ada, monkeypatch, age, works):
    issued = datetime.now().replace(microsecond=0)  # naive, as the generator's clock is
    monkeypatch.setattr(default_token_generator, "_now", lambda: issued)
    token = default_token_generator.make_token(ada)
    monkeypatch.setattr(default_token_generator, "_now", lambda: issued + timedelta(seconds=age))

    uid = urlsafe_base64_encode(force_bytes(ada.pk))
    response = api_client.post(
        "/api/v1/auth/password/reset/confirm/",
        {"uid": uid, "token": token, "new_password": NEW_PASSWORD},
    )
    if works:
        assert response.status_code == 204
    else:
        assert_problem(response, 400, "invalid_link")
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD) is works


@pytest.mark.parametrize("uid", ["", "not-base64!", "MTIzNDU2Nzg5", "x" * 64])
def test_a_forged_reset_link_is_refused(api_client, ada, uid):
    response = api_client.post(
        "/api/v1/auth/password/reset/confirm/",
        {"uid": uid or "MQ", "token": "abc-def", "new_password": NEW_PASSWORD},
    )
    assert_problem(response, 400, "invalid_link")
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


# E-mail verification -------------------------------------------------------------------------


def register(api_client, django_capture_on_commit_callbacks, email="grace@example.com"):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register/", {"email": email, "password": NEW_PASSWORD}
        )
    assert response.status_code == 201
    return response.json()


def test_registering_sends_a_link_that_verifies_the_address(
    api_client, mailoutbox, django_capture_on_commit_callbacks
):
    account = register(api_client, django_capture_on_commit_callbacks)
    assert account["email_verified"] is False
    assert [message.to for message in mailoutbox] == [["grace@example.com"]]
    token = link_in(mailoutbox[0])["token"]

    verified = api_client.post("/api/v1/auth/email/verify/", {"token": token})

    assert verified.status_code == 200
    assert verified.json()["email_verified"] is True
    assert api_client.post("/api/v1/auth/email/verify/", {"token": token}).status_code == 200
    assert_problem(
        api_client.post("/api/v1/auth/email/verify/", {"token": token[:-2] + "xx"}),
        400,
        "invalid_link",
    )


@pytest.mark.parametrize(("age", "works"), [(3 * 86400, True), (3 * 86400 + 1, False)])
def test_a_verification_link_works_for_three_days(
    api_client, monkeypatch, mailoutbox, django_capture_on_commit_callbacks, age, works
):
    issued = 1_800_000_000
    monkeypatch.setattr("django.core.signing.time.time", lambda: issued)
    register(api_client, django_capture_on_commit_callbacks)
    token = link_in(mailoutbox[0])["token"]
    monkeypatch.setattr("django.core.signing.time.time", lambda: issued + age)

    response = api_client.post("/api/v1/auth/email/verify/", {"token": token})

    if works:
        assert response.status_code == 200
    else:
        assert_problem(response, 400, "invalid_link")
    user = get_user_model().objects.get(email="grace@example.com")
    assert user.verified_emails.exists() is works


def test_a_link_for_an_address_the_account_no_longer_has_is_refused(
    api_client, mailoutbox, django_capture_on_commit_callbacks
):
    register(api_client, django_capture_on_commit_callbacks)
    get_user_model().objects.filter(email="grace@example.com").update(email="g@example.org")

    response = api_client.post(
        "/api/v1/auth/email/verify/", {"token": link_in(mailoutbox[0])["token"]}
    )

    assert_problem(response, 400, "invalid_link")


def test_when_verification_is_required_sign_in_waits_for_it(
    api_client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_VERIFICATION_REQUIRED = True
    register(api_client, django_capture_on_commit_callbacks)

    assert_problem(sign_in(api_client, "grace@example.com", NEW_PASSWORD), 403, "email_unverified")

    with django_capture_on_commit_callbacks(execute=True):
        resent = api_client.post(
            "/api/v1/auth/email/verify/resend/", {"email": "grace@example.com"}
        )
    assert resent.status_code == 202 and len(mailoutbox) == 2
    api_client.post("/api/v1/auth/email/verify/", {"token": link_in(mailoutbox[1])["token"]})
    assert sign_in(api_client, "grace@example.com", NEW_PASSWORD).status_code == 200


def test_by_default_sign_in_works_before_verification(
    api_client, django_capture_on_commit_callbacks
):
    register(api_client, django_capture_on_commit_callbacks)
    assert sign_in(api_client, "grace@example.com", NEW_PASSWORD).status_code == 200


def test_a_new_link_goes_only_to_an_unverified_address_of_an_account(
    api_client, ada, mailoutbox, django_capture_on_commit_callbacks
):
    ada.verified_emails.create(email=ada.email)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            api_client.post("/api/v1/auth/email/verify/resend/", {"email": email})
            for email in (ada.email, "nobody@example.com")
        ]
    assert {(answer.status_code, answer.json()["detail"]) for answer in answers} == {
        (202, "If an account has this address unverified, a link is on its way.")
    }
    assert mailoutbox == []


# Refresh rotation and sign-out ---------------------------------------------------------------


def test_a_refresh_token_is_retired_once_used(api_client, ada):
    first = sign_in(api_client, ada.email).json()["refresh"]
    rotated = api_client.post("/api/v1/auth/token/refresh/", {"refresh": first})

    assert rotated.status_code == 200 and set(rotated.json()) == {"access", "refresh"}
    assert_problem(
        api_client.post("/api/v1/auth/token/refresh/", {"refresh": first}), 401, "token_not_valid"
    )
    second = api_client.post("/api/v1/auth/token/refresh/", {"refresh": rotated.json()["refresh"]})
    assert second.status_code == 200


def test_signing_out_retires_the_refresh_token(ada_client, api_client):
    refresh = ada_client.tokens["refresh"]
    assert ada_client.post("/api/v1/auth/logout/", {"refresh": refresh}).status_code == 204

    api_client.credentials()
    assert_problem(
        api_client.post("/api/v1/auth/token/refresh/", {"refresh": refresh}), 401, "token_not_valid"
    )


def test_nobody_signs_out_someone_else(ada_client, api_client):
    eve = UserFactory()
    eves_refresh = sign_in(api_client, eve.email).json()["refresh"]
    bearer(api_client, ada_client.tokens["access"])

    assert_problem(
        api_client.post("/api/v1/auth/logout/", {"refresh": eves_refresh}), 403, "permission_denied"
    )
    assert_problem(
        api_client.post("/api/v1/auth/logout/", {"refresh": "not-a-token"}), 401, "token_not_valid"
    )
    api_client.credentials()
    assert (
        api_client.post("/api/v1/auth/token/refresh/", {"refresh": eves_refresh}).status_code == 200
    )


# Data export ---------------------------------------------------------------------------------


def a_learning_history(learner):
    """A free course begun (a lesson done, a notification received) and reviewed."""
    course = build_course(modules=1, lessons_per_module=2, price=Decimal("0"))
    enrollment = enrollment_create(learner=learner, course=course)
    lesson_complete(
        enrollment=enrollment, lesson=LessonPage.objects.descendant_of(course).order_by("path")[0]
    )
    review_save(learner=learner, course=course, rating=4, comment="Clear and kind.")
    return course, enrollment


def test_the_export_holds_what_we_keep_about_the_caller_only(
    ada_client, ada, django_assert_num_queries
):
    course, enrollment = a_learning_history(ada)
    other = UserFactory()
    a_learning_history(other)

    with django_assert_num_queries(12):
        response = ada_client.get("/api/v1/me/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = response.json()
    assert data["account"]["email"] == "ada@example.com"
    assert [row["id"] for row in data["enrollments"]] == [enrollment.pk]
    assert data["enrollments"][0]["course_title"] == course.title
    assert [(row["course_id"], row["comment"]) for row in data["reviews"]] == [
        (course.pk, "Clear and kind.")
    ]
    assert {row["kind"] for row in data["notifications"]} == {"enrolled"}
    assert set(data) == {
        "exported_at", "account", "enrollments", "lesson_completions", "quiz_attempts",
        "assignment_submissions", "attendance", "reviews", "orders", "certificates",
        "notifications", "waitlist",
    }  # fmt: skip


def test_the_export_reads_the_same_queries_however_much_was_done(
    ada_client, ada, django_assert_num_queries
):
    for _ in range(3):
        a_learning_history(ada)
    with django_assert_num_queries(12):
        assert ada_client.get("/api/v1/me/export/").status_code == 200


def test_nobody_exports_without_signing_in(api_client):
    assert_problem(api_client.get("/api/v1/me/export/"), 401, "not_authenticated")


# Closing the account -------------------------------------------------------------------------


def test_closing_removes_personal_data_and_keeps_records_that_must_stay(
    ada_client, api_client, ada
):
    course, enrollment = a_learning_history(ada)
    completed = CompletedEnrollmentFactory(learner=ada)
    certificate = certificate_issue(enrollment=completed)
    tokens = ada_client.tokens

    response = ada_client.delete("/api/v1/me/", {"password": PASSWORD})

    assert response.status_code == 204
    ada.refresh_from_db()
    assert (ada.email, ada.first_name, ada.last_name, ada.is_active) == ("", "", "", False)
    assert ada.username.startswith("closed-") and not ada.has_usable_password()
    assert not CourseReview.objects.filter(learner=ada).exists()
    course.refresh_from_db()
    assert course.rating_count == 0
    assert not Notification.objects.filter(user=ada).exists()
    assert Enrollment.objects.filter(pk__in=[enrollment.pk, completed.pk]).count() == 2
    assert Certificate.objects.get(pk=certificate.pk).status == "valid"
    assert (
        api_client.get(f"/api/v1/public/certificates/{certificate.code}/verify/").status_code == 200
    )
    api_client.credentials()
    assert_problem(sign_in(api_client, "ada@example.com"), 401, "no_active_account")
    assert_problem(bearer(api_client, tokens["access"]).get("/api/v1/me/"), 401, "user_inactive")


def test_a_wrong_password_closes_nothing(ada_client, ada):
    assert_problem(ada_client.delete("/api/v1/me/", {"password": "guess"}), 400, "wrong_password")
    ada.refresh_from_db()
    assert ada.is_active and ada.email == "ada@example.com"


@pytest.mark.parametrize("factory", [EditorFactory, SpecialistFactory])
def test_staff_and_teachers_cannot_close_their_own_account_here(api_client, factory):
    person = factory()
    if factory is SpecialistFactory:
        build_course(modules=1, lessons_per_module=1, instructor=person)
    bearer(api_client, sign_in(api_client, person.email).json()["access"])

    assert_problem(
        api_client.delete("/api/v1/me/", {"password": PASSWORD}), 409, "account_cannot_close"
    )
    person.refresh_from_db()
    assert person.is_active and person.email


def test_orders_and_ledger_rows_stay_with_a_closed_account(ada_client, ada):
    specialist = SpecialistFactory()
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))
    _, order = pay(APIClient(), ada, course)
    ledger = list(LedgerEntry.objects.filter(order=order).values_list("pk", "amount"))
    assert order.status == "paid" and ledger

    assert ada_client.delete("/api/v1/me/", {"password": PASSWORD}).status_code == 204

    order.refresh_from_db()
    assert order.status == "paid" and order.enrollment.learner_id == ada.pk
    assert list(LedgerEntry.objects.filter(order=order).values_list("pk", "amount")) == ledger
