"""Calendar feeds: a learner's and a cohort's sessions as iCalendar at secret token URLs."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.utils import timezone
from django.utils.http import http_date

from learning.models import CohortSession, Enrollment
from learning.services.sessions import session_cancel, session_reschedule
from tests.api_helpers import assert_problem
from tests.factories import (
    CohortFactory,
    CohortSessionFactory,
    SpecialistFactory,
    UserFactory,
    build_cohort_course,
)

pytestmark = pytest.mark.django_db

SITE = "https://courses.example.com"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE


@pytest.fixture
def teacher():
    return SpecialistFactory()


@pytest.fixture
def cohort(teacher):
    return CohortFactory(
        course=build_cohort_course(title="Python Masterclass", instructor=teacher),
        name="Batch 3",
        starts_on=date(2031, 3, 1),
        ends_on=date(2031, 4, 5),
        enrollment_deadline=datetime(2031, 2, 25, tzinfo=UTC),
    )


@pytest.fixture
def learner(cohort):
    learner = UserFactory(first_name="Lena", last_name="Larsen", email="lena@example.com")
    enroll(cohort, learner)
    return learner


def enroll(cohort, learner, **fields):
    return Enrollment.objects.create(
        learner=learner,
        course=cohort.course,
        cohort=cohort,
        **{"status": Enrollment.Status.ACTIVE, **fields},
    )


def session_at(cohort, starts_at, **fields):
    return CohortSessionFactory(cohort=cohort, starts_at=starts_at, **fields)


def urls_of(api_client, user, path="/api/v1/me/calendar/"):
    api_client.force_authenticate(user)
    response = api_client.get(path)
    api_client.force_authenticate(None)
    assert response.status_code == 200
    return response.json()


def local(url):
    assert url.startswith(SITE)
    return url.removeprefix(SITE)


def feed(api_client, url, **headers):
    return api_client.get(local(url), headers=headers)


def events(response):
    """The feed's events parsed by icalendar, checked against vobject's reading of it."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    other = vobject.readOne(response.content.decode())
    parsed = [
        {
            "uid": str(event["UID"]),
            "sequence": int(event["SEQUENCE"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "stamp": event.decoded("DTSTAMP"),
            "summary": str(event["SUMMARY"]),
            "status": str(event["STATUS"]),
            "url": str(event["URL"]),
            "location": str(event["LOCATION"]),
            "description": str(event["DESCRIPTION"]),
        }
        for event in calendar.walk("VEVENT")
    ]
    again = [
        {
            "uid": event.uid.value,
            "sequence": int(event.sequence.value),
            "start": event.dtstart.value,
            "end": event.dtend.value,
            "stamp": event.dtstamp.value,
            "summary": event.summary.value,
            "status": event.status.value,
            "url": event.url.value,
            "location": event.location.value,
            "description": event.description.value,
        }
        for event in getattr(other, "vevent_list", [])
    ]
    assert parsed == again
    return parsed


def join_url(session):
    return f"{SITE}/api/v1/cohorts/{session.cohort_id}/sessions/{session.pk}/join/"


def test_the_learner_feed_url_comes_as_https_and_webcal(api_client, learner):
    urls = urls_of(api_client, learner)

    assert set(urls) == {"url", "webcal_url"}
    assert urls["url"].startswith(f"{SITE}/api/v1/me/calendar.ics?token=")
    assert urls["webcal_url"] == "webcal://" + urls["url"].removeprefix("https://")
    assert urls_of(api_client, learner) == urls  # shown again, unchanged, until rotated


def test_the_feed_is_icalendar_with_one_event_per_session(api_client, cohort, learner):
    first = session_at(
        cohort, datetime(2031, 3, 4, 0, 0, tzinfo=UTC), title="Decorators", description="Bring"
    )
    second = session_at(cohort, datetime(2031, 3, 6, 0, 0, tzinfo=UTC), title="Generators")

    response = feed(api_client, urls_of(api_client, learner)["url"])

    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Courses//Cohort sessions 1.0//EN"
    assert calendar["NAME"] == calendar["X-WR-CALNAME"] == "Courses: my sessions"
    assert "METHOD" not in calendar
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content.decode()
    assert "X-PUBLISHED-TTL:PT1H\r\n" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert events(response) == [
        {
            "uid": str(first.ical_uid),
            "sequence": 0,
            "start": datetime(2031, 3, 4, 0, 0, tzinfo=UTC),
            "end": datetime(2031, 3, 4, 1, 0, tzinfo=UTC),
            "stamp": first.updated_at.replace(microsecond=0),
            "summary": "Python Masterclass – Batch 3: Decorators",
            "status": "CONFIRMED",
            "url": join_url(first),
            "location": join_url(first),
            "description": f"Bring\n\nJoin: {join_url(first)}",
        },
        {
            "uid": str(second.ical_uid),
            "sequence": 0,
            "start": datetime(2031, 3, 6, 0, 0, tzinfo=UTC),
            "end": datetime(2031, 3, 6, 1, 0, tzinfo=UTC),
            "stamp": second.updated_at.replace(microsecond=0),
            "summary": "Python Masterclass – Batch 3: Generators",
            "status": "CONFIRMED",
            "url": join_url(second),
            "location": join_url(second),
            "description": f"Join: {join_url(second)}",
        },
    ]
    assert b"meet.example.com" not in response.content  # our join URL, never the meeting link
    for line in response.content.split(b"\r\n"):
        if line.startswith((b"DTSTART", b"DTEND", b"DTSTAMP")):
            assert line.endswith(b"Z")  # UTC, no TZID to resolve


def test_the_learner_feed_carries_no_personal_data(api_client, cohort, learner):
    session_at(cohort, datetime(2031, 3, 4, tzinfo=UTC))

    body = feed(api_client, urls_of(api_client, learner)["url"]).content.decode()

    for personal in ("lena", "Lena", "Larsen", learner.username):
        assert personal not in body


def test_the_learner_feed_covers_every_cohort_they_learn_in_or_teach(api_client, cohort, learner):
    other_course_cohort = CohortFactory(name="Evening")
    enroll(other_course_cohort, learner)
    taught = CohortFactory(course=build_cohort_course(instructor=learner), name="Taught")
    mine = [
        session_at(cohort, datetime(2031, 3, 4, tzinfo=UTC)),
        CohortSessionFactory(cohort=other_course_cohort),
        CohortSessionFactory(cohort=taught),
    ]
    CohortSessionFactory()  # someone else's cohort

    uids = {event["uid"] for event in events(feed(api_client, urls_of(api_client, learner)["url"]))}

    assert uids == {str(session.ical_uid) for session in mine}


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(api_client, cohort, learner):
    session = session_at(cohort, datetime(2031, 3, 4, 0, 0, tzinfo=UTC))
    url = urls_of(api_client, learner)["url"]
    [before] = events(feed(api_client, url))

    session_reschedule(session=session, starts_at=datetime(2031, 3, 5, 0, 0, tzinfo=UTC))
    [after] = events(feed(api_client, url))

    assert after["uid"] == before["uid"]
    assert (before["sequence"], after["sequence"]) == (0, 1)
    assert after["start"] == datetime(2031, 3, 5, 0, 0, tzinfo=UTC)
    assert after["stamp"] >= before["stamp"]


def test_seven_pm_new_york_is_midnight_utc_before_the_march_change_and_23h_after(
    api_client, cohort, learner
):
    new_york = ZoneInfo("America/New_York")
    session_at(cohort, datetime(2031, 3, 4, 19, 0, tzinfo=new_york))
    session_at(cohort, datetime(2031, 3, 11, 19, 0, tzinfo=new_york))

    response = feed(api_client, urls_of(api_client, learner)["url"])

    assert [event["start"] for event in events(response)] == [
        datetime(2031, 3, 5, 0, 0, tzinfo=UTC),  # EST, UTC−5
        datetime(2031, 3, 11, 23, 0, tzinfo=UTC),  # EDT, UTC−4, from 9 March 2031
    ]
    assert b"DTSTART:20310305T000000Z\r\n" in response.content
    assert b"DTSTART:20310311T230000Z\r\n" in response.content


def test_a_cancelled_session_stays_with_its_status_and_a_prefix(api_client, cohort, learner):
    session = session_at(cohort, datetime(2031, 3, 4, tzinfo=UTC), title="Decorators")
    session_cancel(session=session)

    response = feed(api_client, urls_of(api_client, learner)["url"])

    [event] = events(response)
    assert event["status"] == "CANCELLED"
    assert event["summary"] == "Cancelled: Python Masterclass – Batch 3: Decorators"
    assert (event["uid"], event["sequence"]) == (str(session.ical_uid), 1)


@pytest.mark.parametrize(("days_since_end", "kept"), [(30, True), (31, False)])
def test_cancelled_sessions_leave_the_feed_30_days_after_the_cohort_ends(
    api_client, learner, days_since_end, kept
):
    ended = timezone.now().date() - timedelta(days=days_since_end)
    cohort = CohortFactory(
        starts_on=ended - timedelta(days=10),
        ends_on=ended,
        enrollment_deadline=timezone.now() - timedelta(days=60),
        status="completed",
    )
    enroll(cohort, learner, status=Enrollment.Status.COMPLETED)
    held = CohortSessionFactory(cohort=cohort)
    cancelled = CohortSessionFactory(cohort=cohort, status="cancelled")

    uids = [event["uid"] for event in events(feed(api_client, urls_of(api_client, learner)["url"]))]

    assert str(held.ical_uid) in uids
    assert (str(cancelled.ical_uid) in uids) is kept


def test_an_unchanged_feed_answers_304_to_its_etag(api_client, cohort, learner):
    session = session_at(cohort, datetime(2031, 3, 4, tzinfo=UTC))
    url = urls_of(api_client, learner)["url"]
    first = feed(api_client, url)
    etag = first["ETag"]
    session.refresh_from_db()

    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert first["Last-Modified"] == http_date(session.updated_at.timestamp())
    assert feed(api_client, url)["ETag"] == etag  # byte-stable between changes

    unchanged = feed(api_client, url, **{"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag

    CohortSession.objects.filter(pk=session.pk).update(title="Renamed")
    changed = feed(api_client, url, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Renamed" in changed.content


def test_rotating_revokes_the_old_urls_and_gives_new_ones(api_client, cohort, learner):
    session_at(cohort, datetime(2031, 3, 4, tzinfo=UTC))
    old = urls_of(api_client, learner)
    old_cohort = urls_of(api_client, learner, f"/api/v1/cohorts/{cohort.pk}/calendar/")

    api_client.force_authenticate(learner)
    rotated = api_client.post("/api/v1/me/calendar/")

    assert rotated.status_code == 200
    new = rotated.json()
    assert new["url"] != old["url"] and new["url"].startswith(f"{SITE}/api/v1/me/calendar.ics?")
    assert urls_of(api_client, learner) == new
    assert_problem(feed(api_client, old["url"]), 404, "not_found")
    assert_problem(feed(api_client, old_cohort["url"]), 404, "not_found")
    assert len(events(feed(api_client, new["url"]))) == 1
    new_cohort = urls_of(api_client, learner, f"/api/v1/cohorts/{cohort.pk}/calendar/")
    assert len(events(feed(api_client, new_cohort["url"]))) == 1


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "WzIsIm1lIiwwXQ:forged-signature-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
)
def test_a_missing_or_wrong_token_is_a_404(api_client, learner, token):
    path = "/api/v1/me/calendar.ics" + (f"?token={token}" if token else "")
    body = assert_problem(api_client.get(path), 404, "not_found")
    assert body["detail"] == "No calendar feed at this address."


def test_a_token_signed_for_another_user_or_scope_is_a_404(api_client, cohort, learner):
    from learning.services.calendars import calendar_feed_token, cohort_scope

    other_cohort = CohortFactory()
    cohort_token = calendar_feed_token(user=learner, scope=cohort_scope(cohort.pk), generation=0)
    me_token = calendar_feed_token(user=learner, scope="me", generation=0)

    assert_problem(
        api_client.get(f"/api/v1/me/calendar.ics?token={cohort_token}"), 404, "not_found"
    )
    for token in (cohort_token, me_token):
        response = api_client.get(f"/api/v1/cohorts/{other_cohort.pk}/calendar.ics?token={token}")
        assert_problem(response, 404, "not_found")
    future = calendar_feed_token(user=learner, scope="me", generation=1)
    assert_problem(api_client.get(f"/api/v1/me/calendar.ics?token={future}"), 404, "not_found")


def test_a_deactivated_accounts_feed_is_a_404(api_client, learner):
    url = urls_of(api_client, learner)["url"]
    learner.is_active = False
    learner.save()
    assert_problem(feed(api_client, url), 404, "not_found")


def test_a_refund_ends_the_cohort_feed_and_drops_the_cohort_from_the_learner_feed(
    api_client, cohort, learner
):
    kept = CohortFactory()
    enroll(kept, learner)
    kept_session = CohortSessionFactory(cohort=kept)
    session_at(cohort, datetime(2031, 3, 4, tzinfo=UTC))
    mine = urls_of(api_client, learner)["url"]
    cohort_url = urls_of(api_client, learner, f"/api/v1/cohorts/{cohort.pk}/calendar/")["url"]

    Enrollment.objects.filter(learner=learner, cohort=cohort).update(status="refunded")

    assert_problem(feed(api_client, cohort_url), 404, "not_found")
    assert [event["uid"] for event in events(feed(api_client, mine))] == [
        str(kept_session.ical_uid)
    ]


def test_a_suspended_learner_loses_the_cohort_feed(api_client, cohort, learner):
    cohort_url = urls_of(api_client, learner, f"/api/v1/cohorts/{cohort.pk}/calendar/")["url"]
    Enrollment.objects.filter(learner=learner).update(suspended_at=timezone.now())
    assert_problem(feed(api_client, cohort_url), 404, "not_found")


def test_the_cohort_feed_is_named_for_the_cohort_and_shows_its_sessions(
    api_client, cohort, learner, teacher
):
    session = session_at(cohort, datetime(2031, 3, 4, tzinfo=UTC))
    CohortSessionFactory(cohort=CohortFactory(course=cohort.course))  # a sibling cohort

    for holder in (learner, teacher):
        urls = urls_of(api_client, holder, f"/api/v1/cohorts/{cohort.pk}/calendar/")
        assert urls["url"].startswith(f"{SITE}/api/v1/cohorts/{cohort.pk}/calendar.ics?token=")
        assert urls["webcal_url"] == "webcal://" + urls["url"].removeprefix("https://")
        response = feed(api_client, urls["url"])
        calendar = icalendar.Calendar.from_ical(response.content)
        assert calendar["X-WR-CALNAME"] == "Python Masterclass – Batch 3"
        assert [event["uid"] for event in events(response)] == [str(session.ical_uid)]


def test_cohort_feed_urls_are_refused_to_everyone_else(api_client, cohort, learner):
    path = f"/api/v1/cohorts/{cohort.pk}/calendar/"
    assert_problem(api_client.get(path), 401, "not_authenticated")
    for outsider in (
        UserFactory(),
        SpecialistFactory(),
        enroll(cohort, UserFactory(), status=Enrollment.Status.PENDING_PAYMENT).learner,
        enroll(cohort, UserFactory(), status=Enrollment.Status.REFUNDED).learner,
    ):
        api_client.force_authenticate(outsider)
        assert_problem(api_client.get(path), 404, "not_found")
    api_client.force_authenticate(learner)
    assert_problem(api_client.get("/api/v1/cohorts/999999/calendar/"), 404, "not_found")


def test_my_calendar_urls_need_a_signed_in_user(api_client):
    assert_problem(api_client.get("/api/v1/me/calendar/"), 401, "not_authenticated")
    assert_problem(api_client.post("/api/v1/me/calendar/"), 401, "not_authenticated")


def test_the_feeds_take_no_cookie_or_jwt_only_the_token(api_client, cohort, learner):
    api_client.force_authenticate(learner)
    assert_problem(api_client.get("/api/v1/me/calendar.ics"), 404, "not_found")
    path = f"/api/v1/cohorts/{cohort.pk}/calendar.ics"
    assert_problem(api_client.get(path), 404, "not_found")


@pytest.mark.parametrize("count", [2, 20])
def test_the_feeds_run_a_fixed_number_of_queries(
    api_client, cohort, learner, count, django_assert_max_num_queries
):
    for day in range(count):
        session_at(cohort, datetime(2031, 3, 2, tzinfo=UTC) + timedelta(days=day))
    other = CohortFactory()
    enroll(other, learner)
    CohortSessionFactory.create_batch(count, cohort=other)
    mine = urls_of(api_client, learner)["url"]
    cohort_url = urls_of(api_client, learner, f"/api/v1/cohorts/{cohort.pk}/calendar/")["url"]

    with django_assert_max_num_queries(5):
        assert len(events(feed(api_client, mine))) == 2 * count
    with django_assert_max_num_queries(5):
        assert len(events(feed(api_client, cohort_url))) == count
    api_client.force_authenticate(learner)
    with django_assert_max_num_queries(3):
        assert api_client.get("/api/v1/me/calendar/").status_code == 200
    with django_assert_max_num_queries(3):
        assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/calendar/").status_code == 200
