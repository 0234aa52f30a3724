"""The reports every surface shows (API, admin dashboard, admin report views), built from
`analytics.definitions`. Each reads a fixed number of queries, whatever the window's length.

TODO (rest of issue 13): in the last `bench_analytics` runs the specialist report for 50 courses
is at ~51x the one-SELECT view's p50 at p95 (target 40x), the course report at 26-35x (target
20x), and a cohort course reads 9 queries with the user's (target 8). Next: the funnel and the
quiz figures in one statement (a FULL JOIN of live lessons and quiz aggregates, so quizzes of
unpublished lessons stay); the stored part of each window cached per snapshot coverage (it
cannot change until the next run), leaving only the last hour's raw rows to read; `started`
and the grading backlog kept on the enrollment as `last_active_at` is."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from accounts.names import display_name
from analytics.definitions import (
    ADDITIVE_FIELDS,
    Window,
    active_learner_counts,
    active_learner_counts_by_course,
    activity_by_period,
    activity_rows,
    at_risk,
    bucket_start,
    learner_days,
    learner_figures,
    lessons_reached,
    quiz_rows,
    rate,
    revenue_by_period,
    revenue_rows,
)
from certification.models import Certificate
from coursepages.models import CoursePage, CourseType
from learning.attendance import ATTENDED
from learning.models import (
    AssignmentSubmission,
    AttendanceRecord,
    Cohort,
    CohortSession,
    Enrollment,
)

ACCESS = Enrollment.ACCESS_STATUSES
# What the reports read of a course (`path` finds its lessons).
COURSE_FIELDS = ("title", "slug", "path", "course_type", "rating_average", "rating_count")
ADDITIVE = ADDITIVE_FIELDS
PERIODS = ("current", "previous")


class SubqueryCount(Subquery):
    """The number of rows of a correlated queryset."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def _count(queryset):
    return SubqueryCount(queryset.order_by().values("pk"))


def _windows(window: Window) -> dict[str, Window]:
    return {"current": window, "previous": window.previous()}


# Learner figures -----------------------------------------------------------------------------


def _learner_figures(course_ids, window: Window, now: datetime | None) -> dict[int, dict]:
    return learner_figures(course_ids, _windows(window), now or timezone.now())


def _compared_figure(figures, key) -> dict:
    return {"value": figures[f"{key}_current"], "previous": figures[f"{key}_previous"]}


def _rates(figures, quiz_takers, name) -> dict:
    return {
        "completion_rate": rate(figures[f"enrolled_completed_{name}"], figures[f"enrolled_{name}"]),
        "completion_rate_of_starters": rate(
            figures[f"enrolled_completed_started_{name}"], figures[f"enrolled_started_{name}"]
        ),
        "quiz_pass_rate": rate(len(quiz_takers["passed"]), len(quiz_takers["attempted"])),
    }


# Series --------------------------------------------------------------------------------------


def _buckets(window: Window, granularity: str) -> list[date]:
    starts, day = [], window.first
    while day <= window.last:
        start = bucket_start(day, granularity)
        if not starts or starts[-1] != start:
            starts.append(start)
        day += timedelta(days=1)
    return starts


def _activity_totals(rows, periods: dict[str, Window]) -> dict[str, dict[str, int]]:
    totals = {name: dict.fromkeys(ADDITIVE, 0) for name in periods}
    for row in rows:
        for name, period in periods.items():
            if row["day"] in period:
                for field in ADDITIVE:
                    totals[name][field] += row[field]
    return totals


def _money_totals(rows, periods: dict[str, Window]) -> dict[str, dict[str, dict[str, int]]]:
    """{currency: {period: sums}}"""
    sums = defaultdict(lambda: {name: defaultdict(int) for name in periods})
    for row in rows:
        for name, period in periods.items():
            if row["day"] in period:
                _add_money(sums[row["currency"]][name], row)
    return sums


def _add_money(into, row):
    for field in ("gross", "refunds", "sales", "refund_count"):
        into[field] += row[field]
    into["fees"] += row["platform_fee"] - row["fee_reversals"]
    into["net"] += row["specialist_share"] - row["share_reversals"]


def money_figures(sums, currency: str) -> dict:
    """Minor units per figure, and the refund rate."""
    return {
        "currency": currency,
        "gross": sums["gross"],
        "refunds": sums["refunds"],
        "fees": sums["fees"],
        "net": sums["net"],
        "sales": sums["sales"],
        "refund_count": sums["refund_count"],
        "refund_rate": rate(sums["refund_count"], sums["sales"]),
    }


def _revenue(rows, window) -> list[dict]:
    periods = _windows(window)
    return [
        {
            **money_figures(by_period["current"], currency),
            "previous": money_figures(by_period["previous"], currency),
        }
        for currency, by_period in sorted(_money_totals(rows, periods).items())
    ]


def _series(activity, revenue, days, window, granularity) -> tuple[list, list]:
    starts = _buckets(window, granularity)
    counts = {start: dict.fromkeys(ADDITIVE, 0) for start in starts}
    learners = defaultdict(set)
    money = defaultdict(lambda: defaultdict(int))
    for row in activity:
        if row["day"] in window:
            bucket = counts[bucket_start(row["day"], granularity)]
            for field in ADDITIVE:
                bucket[field] += row[field]
    for row in days:
        if row.day in window:
            learners[bucket_start(row.day, granularity)].add(row.learner_id)
    for row in revenue:
        if row["day"] in window:
            _add_money(money[(bucket_start(row["day"], granularity), row["currency"])], row)
    activity_series = [
        {"period_start": start, **counts[start], "active_learners": len(learners[start])}
        for start in starts
    ]
    revenue_series = [
        {"period_start": start, **money_figures(sums, currency)}
        for (start, currency), sums in sorted(money.items())
    ]
    return activity_series, revenue_series


# Course --------------------------------------------------------------------------------------


def lesson_funnel(course, learners: int) -> dict:
    """Learners who completed each live lesson, in course order, with the drop from the lesson
    before; `average_progress` follows from it (completions of live lessons ÷ learners ×
    lessons)."""
    lessons = lessons_reached(course)
    steepest, steepest_drop = None, 0
    rows = []
    for position, lesson in enumerate(lessons, start=1):
        before = lessons[position - 2]["reached"] if position > 1 else None
        drop = None if before is None else rate(before - lesson["reached"], before)
        if drop is not None and drop > steepest_drop:
            steepest, steepest_drop = lesson["pk"], drop
        rows.append(
            {
                "lesson": lesson["pk"],
                "title": lesson["title"],
                "position": position,
                "reached": lesson["reached"],
                "drop_off": drop,
            }
        )
    completed = sum(lesson["reached"] for lesson in lessons)
    return {
        "lessons": rows,
        "steepest_drop_lesson": steepest,
        "average_progress": rate(completed, learners * len(lessons)),
    }


def quiz_figures(course, window: Window) -> list[dict]:
    rows = quiz_rows(course, window)
    return [
        {
            "quiz_id": row["quiz_id"],
            "lesson": row["lesson_id"],
            "lesson_title": row["lesson_title"],
            "learners": row["learners"],
            "learners_passed": row["learners_passed"],
            "pass_rate": rate(row["learners_passed"], row["learners"]),
            "attempts": row["attempts"],
            "first_attempt_pass_rate": rate(row["first_attempt_passes"], row["first_attempts"]),
        }
        for row in rows
    ]


def cohort_rows(cohorts, now: datetime | None = None) -> list[dict]:
    """Each cohort's learners, completion, certificates and average attendance, with its
    sessions: one query, a row per cohort and session. Only sessions that have ended count (the
    end instant included), as `learning.attendance` counts a session held: a session under way
    adds nothing yet."""
    now = now or timezone.now()
    enrollments = Enrollment.objects.filter(cohort=OuterRef("pk"), status__in=ACCESS)
    records = AttendanceRecord.objects.filter(
        session=OuterRef("sessions"), enrollment__status__in=ACCESS
    )
    rows = (
        cohorts.values(
            "pk",
            "name",
            "status",
            "starts_on",
            "ends_on",
            "sessions__pk",
            "sessions__title",
            "sessions__starts_at",
            "sessions__duration_minutes",
            "sessions__status",
        )
        .annotate(
            learners=_count(enrollments),
            learners_completed=_count(enrollments.filter(status=Enrollment.Status.COMPLETED)),
            certificates=_count(
                Certificate.objects.filter(
                    enrollment__cohort=OuterRef("pk"), status=Certificate.Status.VALID
                )
            ),
            attended=_count(records.filter(status__in=ATTENDED)),
            late=_count(records.filter(status=AttendanceRecord.Status.LATE)),
            excused=_count(records.filter(status=AttendanceRecord.Status.EXCUSED)),
        )
        .order_by("starts_on", "pk", "sessions__starts_at", "sessions__pk")
    )
    by_cohort = {}
    for row in rows:
        cohort = by_cohort.get(row["pk"])
        if cohort is None:
            cohort = by_cohort[row["pk"]] = _cohort_row(row)
        if row["sessions__pk"] is not None:
            cohort["sessions"].append(_session_row(row, cohort["learners"], now))
    for cohort in by_cohort.values():
        held = [session for session in cohort["sessions"] if session["held"]]
        cohort["sessions_held"] = len(held)
        cohort["average_attendance"] = rate(
            sum(session["attended"] for session in held),
            len(held) * cohort["learners"] - sum(session["excused"] for session in held),
        )
    return list(by_cohort.values())


def _cohort_row(row) -> dict:
    return {
        "id": row["pk"],
        "name": row["name"],
        "status": row["status"],
        "starts_on": row["starts_on"],
        "ends_on": row["ends_on"],
        "learners": row["learners"],
        "completed": row["learners_completed"],
        "completion_rate": rate(row["learners_completed"], row["learners"]),
        "certificates_issued": row["certificates"],
        "sessions": [],
    }


def _session_row(row, learners: int, now: datetime) -> dict:
    """A session's attendance; the counts only once it has been held."""
    ends_at = row["sessions__starts_at"] + timedelta(minutes=row["sessions__duration_minutes"])
    held = row["sessions__status"] == CohortSession.Status.SCHEDULED and ends_at <= now
    expected = learners - row["excused"]
    return {
        "id": row["sessions__pk"],
        "title": row["sessions__title"],
        "starts_at": row["sessions__starts_at"],
        "status": row["sessions__status"],
        "held": held,
        "attended": row["attended"] if held else None,
        "late": row["late"] if held else None,
        "excused": row["excused"] if held else None,
        "absent": max(expected - row["attended"], 0) if held else None,
        "attendance_rate": rate(row["attended"], expected) if held else None,
    }


def course_report(course, window: Window, granularity: str, *, now: datetime | None = None) -> dict:
    """Everything about one course over a window, against the previous period."""
    figures = _learner_figures([course.pk], window, now)[course.pk]
    span = Window(window.previous().first, window.last)
    activity = activity_rows(span, [course.pk])
    revenue = revenue_rows(span, [course.pk])
    days = learner_days(span, [course.pk])
    periods = _windows(window)
    totals = _activity_totals(activity, periods)
    for name, period in periods.items():
        in_period = [row for row in days if row.day in period]
        quiz_takers = {
            "attempted": {row.learner_id for row in in_period if row.quiz_attempted},
            "passed": {row.learner_id for row in in_period if row.quiz_passed},
        }
        totals[name]["active_learners"] = len({row.learner_id for row in in_period})
        totals[name] |= _rates(figures, quiz_takers, name)
        totals[name]["enrolled"] = figures[f"enrolled_{name}"]
        totals[name]["new_reviews"] = figures[f"reviews_{name}"]
    activity_series, revenue_series = _series(activity, revenue, days, window, granularity)
    funnel = lesson_funnel(course, figures["learners"])
    cohorts = []
    if course.course_type == CourseType.COHORT:
        cohorts = cohort_rows(Cohort.objects.filter(course=course))
    return {
        "course": course,
        "window": window,
        "previous": window.previous(),
        "granularity": granularity,
        "totals": _compared(totals, totals["current"]),
        "learners": {
            "learners": figures["learners"],
            "completed": figures["learners_completed"],
            "started": figures["learners_started"],
            "completion_rate": rate(figures["learners_completed"], figures["learners"]),
            "completion_rate_of_starters": rate(
                figures["learners_completed_started"], figures["learners_started"]
            ),
            "average_progress": funnel.pop("average_progress"),
            "at_risk": figures["learners_at_risk"],
        },
        "series": activity_series,
        "funnel": funnel,
        "quizzes": quiz_figures(course, window),
        "assignments": {
            "submitted": _compared(totals, ["assignment_submissions"])["assignment_submissions"],
            "graded": _compared(totals, ["assignment_gradings"])["assignment_gradings"],
            "waiting": figures["submissions_waiting"],
        },
        "revenue": _revenue(revenue, window),
        "revenue_series": revenue_series,
        "ratings": {
            "average": course.rating_average,
            "count": course.rating_count,
            "new": _compared_figure(figures, "reviews"),
        },
        "cohorts": cohorts,
    }


# At-risk learners ----------------------------------------------------------------------------


def at_risk_learners(course, now: datetime | None = None):
    """The course's learners at risk, in the order they enrolled (`last_active_at` says when
    they last acted)."""
    return (
        Enrollment.objects.filter(course=course)
        .filter(at_risk(now or timezone.now()))
        .select_related("learner")
        .order_by("pk")
    )


# Cohort --------------------------------------------------------------------------------------


def cohort_report(cohort, now: datetime | None = None) -> dict:
    """A cohort's completion, certificates and attendance, overall and per session: two
    queries."""
    row = cohort_rows(Cohort.objects.filter(pk=cohort.pk), now)[0]
    submissions = AssignmentSubmission.objects.filter(
        enrollment__cohort=cohort, enrollment__status__in=ACCESS
    ).aggregate(
        submitted=Count("pk"),
        graded=Count("pk", filter=~Q(status=AssignmentSubmission.Status.SUBMITTED)),
        waiting=Count("pk", filter=Q(status=AssignmentSubmission.Status.SUBMITTED)),
    )
    return {"cohort": cohort, **row, "assignments": submissions}


# Specialist and platform ---------------------------------------------------------------------

SPECIALIST_ORDERINGS = ("new_enrollments", "active_learners", "completions", "learners", "rating")


def _zero_periods():
    return {name: dict.fromkeys(ADDITIVE, 0) for name in PERIODS}


def _activity_per_course(rows) -> dict[int, dict[str, dict[str, int]]]:
    """{course id: {period: {field: n}}} from `activity_by_period` rows."""
    per_course = defaultdict(_zero_periods)
    for row in rows:
        for field in ADDITIVE:
            per_course[row["course_id"]][row["period"]][field] += row[field]
    return per_course


def _activity_overall(per_course) -> dict[str, dict[str, int]]:
    overall = _zero_periods()
    for periods in per_course.values():
        for name, counts in periods.items():
            for field in ADDITIVE:
                overall[name][field] += counts[field]
    return overall


def _revenue_per_currency(rows) -> list[dict]:
    """Money per currency, this period against the previous, from `revenue_by_period` rows."""
    sums = defaultdict(lambda: {name: defaultdict(int) for name in PERIODS})
    for row in rows:
        _add_money(sums[row["currency"]][row["period"]], row)
    return [
        {
            **money_figures(by_period["current"], currency),
            "previous": money_figures(by_period["previous"], currency),
        }
        for currency, by_period in sorted(sums.items())
    ]


def _compared(totals, fields) -> dict:
    return {
        field: {"value": totals["current"][field], "previous": totals["previous"][field]}
        for field in fields
    }


def specialist_report(courses, window: Window, ordering: str, *, now=None) -> dict:
    """The specialist's courses over the window, ranked; totals across them against the previous
    period. Five queries."""
    courses = list(courses.only(*COURSE_FIELDS))
    ids = [course.pk for course in courses]
    figures = _learner_figures(ids, window, now)
    periods = _windows(window)
    activity = _activity_per_course(activity_by_period(periods, ids))
    revenue_rows_ = revenue_by_period(periods, ids)
    everyone, active = active_learner_counts_by_course(periods, ids)
    revenue = defaultdict(list)
    for row in revenue_rows_:
        revenue[row["course_id"]].append(row)
    rows = []
    for course in courses:
        totals = activity.get(course.pk) or _zero_periods()
        for name in PERIODS:
            totals[name]["active_learners"] = active.get(course.pk, {}).get(name, 0)
        learners = figures[course.pk]
        rows.append(
            {
                "course": course,
                "learners": learners["learners"],
                "completion_rate": rate(learners["learners_completed"], learners["learners"]),
                "rating": {"average": course.rating_average, "count": course.rating_count},
                "at_risk": learners["learners_at_risk"],
                "submissions_waiting": learners["submissions_waiting"],
                **_compared(totals, ("new_enrollments", "completions", "active_learners")),
                "revenue": _revenue_per_currency(revenue[course.pk]),
            }
        )
    rows.sort(key=lambda row: _rank_key(row, ordering), reverse=True)
    overall = _activity_overall(activity)
    return {
        "window": window,
        "previous": window.previous(),
        "ordering": ordering,
        "totals": {
            **_compared(overall, ("new_enrollments", "completions", "lesson_completions")),
            "active_learners": {"value": everyone["current"], "previous": everyone["previous"]},
            "learners": sum(row["learners"] for row in rows),
            "at_risk": sum(row["at_risk"] for row in rows),
            "submissions_waiting": sum(row["submissions_waiting"] for row in rows),
        },
        "revenue": _revenue_per_currency(revenue_rows_),
        "courses": rows,
    }


def _rank_key(row, ordering):
    if ordering == "learners":
        value = row["learners"]
    elif ordering == "rating":
        value = row["rating"]["average"]
    else:
        value = row[ordering]["value"]
    return (value, -row["course"].pk)


def platform_report(window: Window, *, top: int | None = 10) -> dict:
    """The platform over the window: activity and new learners against the previous period,
    revenue and commission per currency, and the top courses and specialists (every one when
    `top` is None)."""
    periods = _windows(window)
    activity = _activity_per_course(activity_by_period(periods))
    revenue = revenue_by_period(periods)
    active = active_learner_counts(periods)
    new_learners = _new_learners(periods)
    by_course = defaultdict(lambda: defaultdict(int))
    by_specialist = defaultdict(lambda: defaultdict(int))
    for row in revenue:
        if row["period"] == "current":
            _add_money(by_course[(row["course_id"], row["currency"])], row)
            _add_money(by_specialist[(row["specialist_id"], row["currency"])], row)
    ranked = sorted(
        ((pk, periods_["current"]) for pk, periods_ in activity.items()),
        key=lambda item: (item[1]["new_enrollments"], -item[0]),
        reverse=True,
    )
    top_courses = [{"course_id": pk, **figures} for pk, figures in ranked[:top]]
    revenue_by_course = _ranked_money(by_course, "course_id", top)
    revenue_by_specialist = _ranked_money(by_specialist, "specialist_id", top)
    titles = dict(
        CoursePage.objects.filter(
            pk__in={row["course_id"] for row in top_courses + revenue_by_course}
        ).values_list("pk", "title")
    )
    for row in top_courses + revenue_by_course:
        row["title"] = titles.get(row["course_id"], "")
    people = get_user_model().objects.in_bulk(
        {row["specialist_id"] for row in revenue_by_specialist}
    )
    for row in revenue_by_specialist:
        row["name"] = display_name(people[row["specialist_id"]])
    return {
        "window": window,
        "previous": window.previous(),
        "totals": {
            **_compared(
                _activity_overall(activity),
                ("new_enrollments", "completions", "lesson_completions"),
            ),
            "active_learners": {"value": active["current"], "previous": active["previous"]},
            "new_learners": {
                "value": new_learners["current"],
                "previous": new_learners["previous"],
            },
        },
        "revenue": _revenue_per_currency(revenue),
        "top_courses": top_courses,
        "revenue_by_course": revenue_by_course,
        "revenue_by_specialist": revenue_by_specialist,
    }


def _ranked_money(sums, key, top: int | None) -> list[dict]:
    """The `top` rows per currency by gross (all of them when `top` is None)."""
    ranked = sorted(sums.items(), key=lambda item: (item[0][1], -item[1]["gross"], item[0][0]))
    rows, per_currency = [], defaultdict(int)
    for (pk, currency), figures in ranked:
        if top is None or per_currency[currency] < top:
            per_currency[currency] += 1
            rows.append({key: pk, **money_figures(figures, currency)})
    return rows


def _new_learners(periods: dict[str, Window]) -> dict[str, int]:
    """Learners whose first enrollment was activated in each period: one query."""
    first = (
        Enrollment.objects.filter(learner=OuterRef("pk"), activated_at__isnull=False)
        .order_by()
        .values("learner")
        .annotate(first=Min("activated_at"))
        .values("first")
    )
    learners = get_user_model().objects.annotate(first_enrolled_at=Subquery(first))
    return learners.aggregate(
        **{
            name: Count(
                "pk",
                filter=Q(first_enrolled_at__gte=period.start, first_enrolled_at__lt=period.end),
            )
            for name, period in periods.items()
        }
    )
