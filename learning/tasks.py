from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from learning.models import Notification

# The certificate's notification is e-mailed by the certificate's own message, never by the
# generic one.
EMAILED_ELSEWHERE = (Notification.Kind.CERTIFICATE_ISSUED,)
UNSENT_GRACE = timedelta(minutes=10)
UNSENT_HORIZON = timedelta(days=1)


@shared_task
def email_unsent_notifications():
    """Queue the e-mail of every notification made 10 minutes to a day ago and never e-mailed:
    its task was lost (the broker down at commit, or retries that ran out)."""
    now = timezone.now()
    unsent = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lte=now - UNSENT_GRACE,
            created_at__gt=now - UNSENT_HORIZON,
        )
        .exclude(kind__in=EMAILED_ELSEWHERE)
        .exclude(user__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for notification_id in unsent:
        send_notification_email.delay(notification_id)


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_notification_email(notification_id):
    """E-mail a notification to its user, once: a second run finds it already sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at or not notification.user.email:
            return
        context = {
            "notification": notification,
            "user": notification.user,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        message = EmailMultiAlternatives(
            subject=notification.title,
            body=render_to_string("learning/email/notification.txt", context),
            to=[notification.user.email],
        )
        message.attach_alternative(
            render_to_string("learning/email/notification.html", context), "text/html"
        )
        message.send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])


@shared_task
def release_expired_seat_holds():
    """Beat: free the cohort seats held for payments that did not come in time."""
    from learning.services import seat_holds_release_expired  # services import this module

    return seat_holds_release_expired()


@shared_task
def expire_waitlist_offers():
    """Beat: pass on waitlist offers that ran out, and offer seats free while someone waits."""
    from learning.services import waitlist_offers_expire  # services import this module

    return waitlist_offers_expire()


@shared_task
def send_session_reminders():
    """Celery beat, every few minutes: send the session reminders due now, each exactly once."""
    from learning.services.reminders import session_reminders_send  # services import tasks

    return session_reminders_send()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def process_zoom_event(zoom_event_id):
    """Act on a stored Zoom webhook event; a second run finds it processed and does nothing."""
    from learning.meetings.zoom_webhooks import zoom_event_process  # it queues this task

    return zoom_event_process(zoom_event_id=zoom_event_id)


@shared_task
def process_pending_zoom_events():
    """Beat: process Zoom events stored while their task could not be queued or was lost."""
    from learning.meetings.zoom_webhooks import zoom_events_process_pending

    return zoom_events_process_pending()


@shared_task(bind=True, max_retries=None)
def download_zoom_recording(self, recording_id):
    """Download a Zoom recording into our storage; Zoom's faults are retried with backoff, a
    bounded number of times, then the recording is marked failed with the reason."""
    from learning.meetings.zoom_recordings import RecordingDownloadError
    from learning.services.recordings import zoom_recording_download, zoom_recording_fail

    try:
        return zoom_recording_download(recording_id=recording_id) is not None
    except RecordingDownloadError as error:
        if error.transient and self.request.retries < settings.RECORDING_DOWNLOAD_MAX_RETRIES:
            raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
        zoom_recording_fail(recording_id=recording_id, error=str(error))
        return False


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def complete_ended_cohorts():
    """Beat: complete the cohorts whose last session has been held, and their learners who
    qualify; a second run finds them completed and does nothing."""
    from learning.services.cohort_completion import cohorts_complete_ended  # services import tasks

    return [completion.cohort.pk for completion in cohorts_complete_ended()]


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def sync_session_meeting(session_id):
    """Bring a session's meeting in step with its provider; a refusal is kept on the session."""
    from learning.services.meetings import session_meeting_sync

    return session_meeting_sync(session_id=session_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def sync_enrollment_meetings(enrollment_id, cohort_ids):
    """Give or take a learner's access to the upcoming meetings of these cohorts."""
    from learning.services.meetings import enrollment_meetings_sync

    return enrollment_meetings_sync(enrollment_id=enrollment_id, cohort_ids=cohort_ids)


@shared_task
def retry_meeting_syncs():
    """Beat: sync again the sessions whose meeting is pending or failed."""
    from learning.services.meetings import meeting_syncs_retry

    return meeting_syncs_retry()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def pull_session_attendance(session_id):
    """Read a session's participant report from its provider into attendance."""
    from learning.services.meetings import session_attendance_pull

    return session_attendance_pull(session_id=session_id)


@shared_task
def pull_due_meeting_attendance():
    """Beat: pull the reports of sessions that ended over 15 minutes ago without one."""
    from learning.services.meetings import meeting_attendance_pull_due

    return meeting_attendance_pull_due()
