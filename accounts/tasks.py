"""The account e-mails, sent by a worker after the request committed. Nothing is lost if one
never goes: the person asks again (the request is theirs to repeat)."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string

from accounts.names import display_name
from accounts.services import email_verification_link, password_reset_link


def _send(user, subject: str, template: str, link: str) -> None:
    context = {"name": display_name(user), "link": link, "site_name": settings.WAGTAIL_SITE_NAME}
    send_mail(
        subject=subject,
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[user.email],
    )


@shared_task
def send_password_reset(user_id: int):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return
    _send(
        user,
        f"Reset your {settings.WAGTAIL_SITE_NAME} password",
        "accounts/email/password_reset.txt",
        password_reset_link(user),
    )


@shared_task
def send_email_verification(user_id: int):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    _send(
        user,
        f"Confirm your e-mail address for {settings.WAGTAIL_SITE_NAME}",
        "accounts/email/verify_email.txt",
        email_verification_link(user),
    )
