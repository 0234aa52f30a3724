"""Calendar feeds: secret subscription tokens, and the iCalendar text of a feed.

Tokens are signed with django.core.signing, not random strings stored hashed: a token is
the signature of (user, scope, generation), where scope is "me" (the learner's feed of all
their cohorts) or "cohort:<id>", and generation is the user's CalendarFeedKey counter.
- `GET me/calendar/` can show the same URLs again at any time (a learner subscribing on a
  second device needs the URL they already use; a hashed token could only be shown once);
- rotating raises the generation: every earlier token of that user stops working at once;
- nothing secret is stored: the signature (HMAC-SHA256 with SECRET_KEY, 256 bits) is
  checked without a lookup, and only the generation is read;
- access is checked on every request, not when the token was made: a holder who lost
  access (refunded, left the cohort) gets nothing for that cohort with the same token.
A token shows the user's id (signed, not encrypted), never a name or an e-mail. Changing
SECRET_KEY ends every feed token unless the old key is kept in SECRET_KEY_FALLBACKS.

Feeds follow RFC 5545/7986 as calendar clients read them (see docs in the research notes):
one VEVENT per session, UID = the session's opaque ical_uid, SEQUENCE = its revision,
DTSTAMP = its last change, times in UTC, no METHOD (a snapshot, not a scheduling message),
cancelled sessions kept with STATUS:CANCELLED and a "Cancelled: " summary, our join URL
rather than the meeting link, and refresh hints of an hour.
"""

import datetime
import hashlib

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from learning.links import session_join_url
from learning.models import CalendarFeedKey, CohortSession

SALT = "learning.calendar-feed"
LEARNER_SCOPE = "me"
REFRESH_INTERVAL = datetime.timedelta(hours=1)


def cohort_scope(cohort_id: int) -> str:
    return f"cohort:{cohort_id}"


def calendar_feed_generation(user) -> int:
    """The user's current token generation: 0 until they first rotate."""
    key = CalendarFeedKey.objects.filter(user=user).values_list("generation", flat=True)
    return key.first() or 0


def calendar_feed_token(*, user, scope: str, generation: int) -> str:
    """The secret token of one of the user's feeds at the given generation."""
    return signing.Signer(salt=SALT).sign_object([user.pk, scope, generation], compress=False)


def calendar_feed_token_read(token: str, *, scope: str) -> tuple[int, int] | None:
    """(user id, generation) signed into a token for this scope; None for anything else."""
    try:
        user_id, token_scope, generation = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if token_scope != scope or not isinstance(user_id, int) or not isinstance(generation, int):
        return None
    return user_id, generation


@transaction.atomic
def calendar_feed_rotate(*, user) -> int:
    """Revoke all the user's calendar feed URLs and return the new generation."""
    CalendarFeedKey.objects.get_or_create(user=user)
    CalendarFeedKey.objects.filter(user=user).update(
        generation=F("generation") + 1, rotated_at=timezone.now()
    )
    return calendar_feed_generation(user)


def session_summary(session: CohortSession) -> str:
    cohort = session.cohort
    summary = f"{cohort.course.title} – {cohort.name}: {session.title}"
    if session.status == CohortSession.Status.CANCELLED:
        return f"Cancelled: {summary}"
    return summary


# Part of every feed's fingerprint: change it when the rendering below changes.
FEED_FORMAT = "1"


def calendar_feed_fingerprint(*, name: str, sessions) -> str:
    """A digest of everything a feed's text is made from, so equal fingerprints mean equal
    feeds: a strong ETag and a cache key known before (or without) rendering."""
    parts = [FEED_FORMAT, settings.WAGTAILADMIN_BASE_URL, name]
    for session in sessions:
        cohort = session.cohort
        parts += [
            session.pk, cohort.pk, session.ical_uid, session.revision, session.updated_at,
            session.starts_at, session.duration_minutes, session.status, session.title,
            session.description, cohort.name, cohort.course.title,
        ]  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def calendar_feed_ics(*, name: str, sessions) -> bytes:
    """The iCalendar text of a feed of these sessions (with their cohort and course)."""
    calendar = Calendar()
    calendar.add("PRODID", f"-//{settings.WAGTAIL_SITE_NAME}//Cohort sessions 1.0//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    # RFC 7986 requires VALUE=DURATION; icalendar leaves it out unless told.
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))  # Outlook's refresh hint
    for session in sessions:
        join_url = session_join_url(session)
        event = Event()
        event.add("UID", str(session.ical_uid))
        event.add("SEQUENCE", session.revision)
        event.add("DTSTAMP", session.updated_at.astimezone(datetime.UTC))
        event.add("DTSTART", session.starts_at.astimezone(datetime.UTC))
        event.add("DTEND", session.ends_at.astimezone(datetime.UTC))
        event.add("SUMMARY", session_summary(session))
        event.add("STATUS", "CANCELLED" if session.status == "cancelled" else "CONFIRMED")
        event.add("URL", join_url)
        event.add("LOCATION", join_url)
        description = f"Join: {join_url}"
        if session.description:
            description = f"{session.description}\n\n{description}"
        event.add("DESCRIPTION", description)
        calendar.add_component(event)
    return calendar.to_ical()
