"""A specialist creating and editing cohorts through the services: every rule at its boundary,
and every refusal leaves the database as it was."""

import datetime
import zoneinfo
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.forms.models import model_to_dict
from django.utils import timezone

from learning.exceptions import (
    CapacityBelowSeatsTaken,
    CohortHasLearners,
    CohortStatusConflict,
    InvalidInput,
    NotTeaching,
)
from learning.models import Cohort, Enrollment, Notification, WaitlistEntry
from learning.services import cohort_create, cohort_update
from tests.factories import (
    CohortFactory,
    CohortSessionFactory,
    EditorFactory,
    SpecialistFactory,
    UserFactory,
    build_cohort_course,
    build_course,
)

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOW = datetime.datetime(2031, 2, 1, 12, tzinfo=datetime.UTC)
STATUSES = Cohort.Status.values
ALLOWED = {
    ("draft", "open"), ("draft", "cancelled"),
    ("open", "closed"), ("open", "completed"), ("open", "cancelled"),
    ("closed", "open"), ("closed", "completed"), ("closed", "cancelled"),
}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def course(specialist):
    return build_cohort_course(owner=specialist)


def batch_3(**changes):
    """Python Masterclass – Batch 3: 1 March to 5 April, 30 seats, deadline 25 February."""
    return {
        "name": "Batch 3",
        "starts_on": datetime.date(2031, 3, 1),
        "ends_on": datetime.date(2031, 4, 5),
        "timezone": "America/New_York",
        "capacity": 30,
        "enrollment_deadline": datetime.datetime(2031, 2, 25, 23, 59, tzinfo=NEW_YORK),
        **changes,
    }


def refused_fields(error):
    return set(error.value.errors)


def snapshot(cohort):
    return model_to_dict(Cohort.objects.get(pk=cohort.pk))


# Creating


def test_the_specialist_creates_a_draft_batch(course, specialist):
    cohort = cohort_create(course=course, by=specialist, price=Decimal("299.00"), **batch_3())

    stored = Cohort.objects.get()
    assert stored == cohort
    assert (stored.status, stored.capacity, stored.seats_taken) == ("draft", 30, 0)
    assert stored.price == Decimal("299.00")
    assert stored.timezone == "America/New_York"


def test_a_batch_can_be_created_open_and_the_instructor_who_is_not_the_owner_may(specialist):
    instructor = SpecialistFactory()
    course = build_cohort_course(owner=specialist, instructor=instructor)
    cohort = cohort_create(course=course, by=instructor, status="open", **batch_3())
    assert cohort.status == "open"


def test_superusers_may_create_for_any_course(course):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert cohort_create(course=course, by=admin, **batch_3()).pk


@pytest.mark.parametrize("who", ["other_specialist", "editor", "learner"])
def test_only_the_teacher_creates(course, who):
    by = {"other_specialist": SpecialistFactory, "editor": EditorFactory, "learner": UserFactory}
    with pytest.raises(NotTeaching):
        cohort_create(course=course, by=by[who](), **batch_3())
    assert not Cohort.objects.exists()


def test_a_self_paced_course_has_no_cohorts(specialist):
    course = build_course(owner=specialist)
    with pytest.raises(InvalidInput) as refused:
        cohort_create(course=course, by=specialist, **batch_3())
    assert refused_fields(refused) == {"course"}
    assert not Cohort.objects.exists()


@pytest.mark.parametrize(
    ("deadline", "accepted"), [(NOW, False), (NOW + timedelta(microseconds=1), True)]
)
def test_the_deadline_must_be_after_now_at_creation(course, specialist, deadline, accepted):
    fields = batch_3(enrollment_deadline=deadline)
    if accepted:
        assert cohort_create(course=course, by=specialist, **fields).enrollment_deadline == deadline
        return
    with pytest.raises(InvalidInput) as refused:
        cohort_create(course=course, by=specialist, **fields)
    assert refused_fields(refused) == {"enrollment_deadline"}
    assert "future" in refused.value.errors["enrollment_deadline"][0]
    assert not Cohort.objects.exists()


@pytest.mark.parametrize(
    ("ends_on", "accepted"),
    [(datetime.date(2031, 3, 1), True), (datetime.date(2031, 2, 28), False)],
)
def test_a_cohort_may_end_the_day_it_starts_but_not_before(course, specialist, ends_on, accepted):
    fields = batch_3(ends_on=ends_on, enrollment_deadline=NOW + timedelta(days=1))
    if accepted:
        assert cohort_create(course=course, by=specialist, **fields).ends_on == ends_on
        return
    with pytest.raises(InvalidInput) as refused:
        cohort_create(course=course, by=specialist, **fields)
    assert refused.value.errors == {"ends_on": ["A cohort cannot end before it starts."]}


@pytest.mark.parametrize(
    ("deadline", "accepted"),
    [
        (datetime.datetime(2031, 4, 5, 23, 59, 59, 999999, tzinfo=NEW_YORK), True),
        (datetime.datetime(2031, 4, 6, 0, 0, tzinfo=NEW_YORK), False),
    ],
)
def test_the_deadline_may_fall_on_the_last_local_day_not_after(
    course, specialist, deadline, accepted
):
    fields = batch_3(enrollment_deadline=deadline)
    if accepted:
        assert cohort_create(course=course, by=specialist, **fields).pk
        return
    with pytest.raises(InvalidInput) as refused:
        cohort_create(course=course, by=specialist, **fields)
    assert refused_fields(refused) == {"enrollment_deadline"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": -5}, "capacity"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"price": Decimal("-0.01")}, "price"),
        ({"name": ""}, "name"),
        ({"status": "closed"}, "status"),
        ({"status": "completed"}, "status"),
    ],
)
def test_bad_fields_are_refused_on_their_field(course, specialist, changes, field):
    with pytest.raises(InvalidInput) as refused:
        cohort_create(course=course, by=specialist, **batch_3(**changes))
    assert refused_fields(refused) == {field}
    assert not Cohort.objects.exists()


def test_one_seat_and_a_free_price_are_fine(course, specialist):
    cohort = cohort_create(course=course, by=specialist, price=Decimal("0"), **batch_3(capacity=1))
    assert (cohort.capacity, cohort.price, cohort.effective_price) == (1, 0, 0)


def test_every_bad_field_is_reported_at_once(course, specialist):
    fields = batch_3(capacity=0, timezone="Nowhere", ends_on=datetime.date(2031, 2, 28))
    with pytest.raises(InvalidInput) as refused:
        cohort_create(course=course, by=specialist, **fields)
    assert refused_fields(refused) == {"capacity", "timezone", "ends_on"}


# Editing


@pytest.fixture
def cohort(course):
    return CohortFactory(
        course=course,
        starts_on=datetime.date(2031, 3, 1),
        ends_on=datetime.date(2031, 4, 5),
        enrollment_deadline=datetime.datetime(2031, 2, 25, tzinfo=NEW_YORK),
    )


def test_the_specialist_edits_details_and_price(cohort, specialist):
    updated = cohort_update(
        cohort=cohort, by=specialist, name="Batch 3 (evenings)", price=Decimal("249.00"),
        ends_on=datetime.date(2031, 4, 12),
    )  # fmt: skip
    stored = Cohort.objects.get()
    assert (stored.name, stored.price, stored.ends_on) == (
        "Batch 3 (evenings)", Decimal("249.00"), datetime.date(2031, 4, 12)
    )  # fmt: skip
    assert updated.name == stored.name


def test_capacity_may_drop_to_the_seats_taken_and_no_lower(cohort, specialist):
    Cohort.objects.filter(pk=cohort.pk).update(seats_taken=12)

    assert cohort_update(cohort=cohort, by=specialist, capacity=12).capacity == 12
    with pytest.raises(CapacityBelowSeatsTaken):
        cohort_update(cohort=cohort, by=specialist, capacity=11, name="Renamed")
    stored = Cohort.objects.get()
    assert (stored.capacity, stored.seats_taken, stored.name) == (12, 12, cohort.name)


def test_raising_capacity_keeps_the_seats_taken_by_others(cohort, specialist):
    Cohort.objects.filter(pk=cohort.pk).update(seats_taken=7)  # taken after `cohort` was read
    cohort_update(cohort=cohort, by=specialist, capacity=40, name="Bigger")
    stored = Cohort.objects.get()
    assert (stored.capacity, stored.seats_taken, stored.name) == (40, 7, "Bigger")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"timezone": "Atlantis/Central"}, "timezone"),
        ({"price": Decimal("-1")}, "price"),
        ({"ends_on": datetime.date(2031, 2, 27)}, "ends_on"),
        ({"enrollment_deadline": NOW}, "enrollment_deadline"),
        ({"enrollment_deadline": datetime.datetime(2031, 4, 6, tzinfo=NEW_YORK)}, "enrollment_deadline"),
    ],
)  # fmt: skip
def test_bad_edits_are_refused_and_change_nothing(cohort, specialist, changes, field):
    before = snapshot(cohort)
    with pytest.raises(InvalidInput) as refused:
        cohort_update(cohort=cohort, by=specialist, name="Renamed", **changes)
    assert refused_fields(refused) == {field}
    assert snapshot(cohort) == before


def test_a_deadline_already_past_may_stay_while_other_fields_change(cohort, specialist):
    Cohort.objects.filter(pk=cohort.pk).update(enrollment_deadline=NOW - timedelta(days=1))
    cohort.refresh_from_db()
    assert cohort_update(cohort=cohort, by=specialist, name="Renamed").name == "Renamed"


@pytest.mark.parametrize("who", ["other_specialist", "editor"])
def test_only_the_teacher_edits(cohort, who):
    by = SpecialistFactory() if who == "other_specialist" else EditorFactory()
    before = snapshot(cohort)
    with pytest.raises(NotTeaching):
        cohort_update(cohort=cohort, by=by, name="Mine now", status="cancelled")
    assert snapshot(cohort) == before


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("wanted", STATUSES)
def test_status_transitions(cohort, specialist, current, wanted):
    Cohort.objects.filter(pk=cohort.pk).update(status=current)
    if current == wanted:  # asking for what is already so changes nothing, and is fine
        assert cohort_update(cohort=cohort, by=specialist, status=wanted).status == current
    elif (current, wanted) in ALLOWED:
        assert cohort_update(cohort=cohort, by=specialist, status=wanted).status == wanted
        assert Cohort.objects.get().status == wanted
    else:
        with pytest.raises(CohortStatusConflict):
            cohort_update(cohort=cohort, by=specialist, status=wanted)
        assert Cohort.objects.get().status == current


@pytest.mark.parametrize("final", ["cancelled", "completed"])
def test_a_final_cohort_takes_no_more_changes(cohort, specialist, final):
    Cohort.objects.filter(pk=cohort.pk).update(status=final)
    before = snapshot(cohort)
    with pytest.raises(CohortStatusConflict):
        cohort_update(cohort=cohort, by=specialist, name="Renamed")
    assert snapshot(cohort) == before


@pytest.mark.parametrize("live", ["pending_payment", "active", "completed"])
def test_a_cohort_with_live_enrollments_is_not_cancelled(cohort, specialist, live):
    Cohort.objects.filter(pk=cohort.pk).update(status="open", seats_taken=1)
    Enrollment.objects.create(
        learner=UserFactory(), course=cohort.course, cohort=cohort, status=live
    )

    with pytest.raises(CohortHasLearners) as refused:
        cohort_update(cohort=cohort, by=specialist, status="cancelled")

    assert refused.value.extensions() == {"enrollments": 1}
    assert "transfer" in refused.value.detail and "refund" in refused.value.detail
    assert Cohort.objects.get().status == "open"


def test_a_cohort_whose_learners_all_left_can_be_cancelled(cohort, specialist):
    for status in ("refunded", "cancelled", "expired"):
        Enrollment.objects.create(
            learner=UserFactory(), course=cohort.course, cohort=cohort, status=status
        )
    assert cohort_update(cohort=cohort, by=specialist, status="cancelled").status == "cancelled"


def waiting(cohort, learners=2):
    return [
        WaitlistEntry.objects.create(cohort=cohort, learner=UserFactory()) for _ in range(learners)
    ]


def statuses(entries):
    return [WaitlistEntry.objects.get(pk=entry.pk).status for entry in entries]


def test_seats_a_capacity_raise_adds_go_to_those_waiting_first(cohort, specialist):
    Cohort.objects.filter(pk=cohort.pk).update(seats_taken=30)
    line = waiting(cohort, learners=3)

    cohort_update(cohort=cohort, by=specialist, capacity=32)

    assert statuses(line) == ["offered", "offered", "waiting"]
    assert Cohort.objects.get().seats_taken == 32  # both offered seats held


def test_cancelling_a_cohort_ends_its_waitlist(cohort, specialist):
    line = waiting(cohort)
    WaitlistEntry.objects.filter(pk=line[0].pk).update(status="offered")

    cohort_update(cohort=cohort, by=specialist, status="cancelled")

    assert statuses(line) == ["withdrawn", "withdrawn"]


def notices():
    return list(
        Notification.objects.filter(kind="waitlist_closed")
        .order_by("user_id")
        .values_list("user_id", "title", "body", "link")
    )


def test_those_waiting_are_told_of_the_cancel_and_of_the_next_cohort_still_enrolling(
    cohort, specialist
):
    line = waiting(cohort)
    later = CohortFactory(
        course=cohort.course,
        name="Batch 9",
        starts_on=datetime.date(2031, 6, 3),
        ends_on=datetime.date(2031, 7, 1),
        enrollment_deadline=NOW + timedelta(microseconds=1),  # still open, only just
    )
    CohortFactory(  # sooner, but its enrollment closes exactly now
        course=cohort.course, starts_on=datetime.date(2031, 5, 1), enrollment_deadline=NOW
    )

    cohort_update(cohort=cohort, by=specialist, status="cancelled")

    body = (
        f"{cohort} is cancelled, so its waitlist has closed. The next cohort, “Batch 9”, "
        "starts on Tue 3 Jun 2031 and takes enrollments until "
        "Sat 1 Feb 2031, 7:00 AM EST (12:00 UTC)."
    )
    link = f"{settings.WAGTAILADMIN_BASE_URL}/api/v1/cohorts/{later.pk}/"
    title = f"Cohort cancelled: {cohort.name}"
    assert notices() == [(entry.learner_id, title, body, link) for entry in line]


def test_with_no_other_cohort_enrolling_the_notice_says_only_that_the_line_closed(
    cohort, specialist
):
    (entry,) = waiting(cohort, learners=1)
    CohortFactory(course=cohort.course, status="draft")
    elsewhere = WaitlistEntry.objects.create(
        cohort=CohortFactory(course=cohort.course, status="closed"), learner=UserFactory()
    )

    cohort_update(cohort=cohort, by=specialist, status="cancelled")

    told = f"{cohort} is cancelled, so its waitlist has closed."
    assert notices() == [(entry.learner_id, f"Cohort cancelled: {cohort.name}", told, "")]
    assert statuses([elsewhere]) == ["waiting"]


def session_on(cohort, day, **fields):
    """A 7 PM New York session on that local day."""
    return CohortSessionFactory(
        cohort=cohort,
        starts_at=datetime.datetime.combine(day, datetime.time(19), tzinfo=NEW_YORK),
        **fields,
    )


@pytest.mark.parametrize(
    ("changes", "accepted"),
    [
        ({"ends_on": datetime.date(2031, 3, 20)}, True),  # the session's own day
        ({"ends_on": datetime.date(2031, 3, 19)}, False),
        ({"starts_on": datetime.date(2031, 3, 20)}, True),
        ({"starts_on": datetime.date(2031, 3, 21)}, False),
        ({"timezone": "Asia/Tokyo"}, True),  # 09:00 on the 21st in Tokyo: still inside
    ],
)
def test_new_dates_must_still_hold_every_scheduled_session(cohort, specialist, changes, accepted):
    session_on(cohort, datetime.date(2031, 3, 20))
    session_on(cohort, datetime.date(2031, 3, 25), status="cancelled")  # binds nothing
    if "starts_on" in changes:
        changes["ends_on"] = datetime.date(2031, 3, 24)
    before = snapshot(cohort)

    if accepted:
        cohort_update(cohort=cohort, by=specialist, **changes)
        return
    with pytest.raises(InvalidInput) as refused:
        cohort_update(cohort=cohort, by=specialist, **changes)
    assert refused_fields(refused) == {"starts_on"}
    assert "Session" in refused.value.errors["starts_on"][0]
    assert snapshot(cohort) == before
