"""The public catalog: which courses it shows, and a version that changes whenever it does.

Shared caches of catalog responses are keyed on `catalog_version()`; anything
that changes what the catalog shows calls `catalog_changed()`, which makes every
cached entry and ETag stale at once.
"""

import uuid

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Q, Value, When
from wagtail.models import Page

from coursepages.models import CoursePage

VERSION_KEY = "catalog:version"
CARD_IMAGE_SPEC = "fill-800x450"


def published_courses():
    """Courses a visitor may find: live and not archived."""
    return CoursePage.objects.filter(listed=True)


def catalog_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def catalog_changed():
    """Invalidate every cached catalog response, now and again when the transaction commits.

    The second bump matters: between the first and the commit, a reader may still
    see (and cache) the old rows under the new version.
    """
    _bump_version()
    transaction.on_commit(_bump_version)


def lesson_outline(*, path, depth):
    """The live syllabus of the course at `path` as (module row, [lesson rows]), in one query."""
    rows = (
        Page.objects.filter(
            path__startswith=path,
            depth__in=(depth + 1, depth + 2),
            live=True,
        )
        .order_by("path")
        .values(
            "id",
            "title",
            "slug",
            "depth",
            "path",
            "modulepage__summary",
            "lessonpage__duration_minutes",
            "lessonpage__is_free_preview",
            "lessonpage__has_quiz",
            "lessonpage__has_assignment",
        )
    )
    modules = {}
    for row in rows:
        if row["depth"] == depth + 1:
            modules[row["path"]] = (row, [])
        elif (parent := modules.get(row["path"][: -Page.steplen])) is not None:
            parent[1].append(row)
    return list(modules.values())


FACET_LOOKUPS = {
    "difficulty": "difficulty__in",
    "course_type": "course_type__in",
    "category": "category__slug__in",
    "language": "language__in",
}


def facet_filter(selected, *, leave_out=None):
    """The facet selections ({facet: set of values}) as one filter, optionally but one."""
    condition = Q()
    for facet, values in selected.items():
        if not values or facet == leave_out:
            continue
        if facet == "free":
            condition &= Q(price=0) if values == {True} else Q(price__gt=0)
        else:
            condition &= Q(**{FACET_LOOKUPS[facet]: values})
    return condition


FACET_COLUMNS = {
    "difficulty": "f_difficulty",
    "course_type": "f_course_type",
    "category": "f_category",
    "language": "f_language",
    "free": "f_free",
}


def catalog_facets(queryset, selected):
    """Result count and facet counts for a filtered catalog, in one query.

    `queryset` has every filter applied except the facet selections in `selected`.
    Counts are disjunctive, as filter sidebars expect: each facet counts matches
    under every *other* facet's selection, so choosing "beginner" still shows how
    many "advanced" courses there are.

    The query reads the filtered courses once (a CTE) and groups them once per
    facet with conditional counts, UNION ALL: it returns one row per facet value,
    however large the catalog. Written as SQL because the ORM would compile six
    querysets for it, which costs more than running it.
    """
    base = queryset.values(
        f_difficulty=F("difficulty"),
        f_course_type=F("course_type"),
        f_category=F("category__slug"),
        f_category_name=F("category__name"),
        f_language=F("language"),
        f_free=Case(
            When(price=0, then=Value("true")), default=Value("false"), output_field=CharField()
        ),
    ).order_by()
    facets = {facet: {} for facet in FACET_COLUMNS}
    labels = {facet: {} for facet in FACET_COLUMNS}
    try:
        base_sql, params = base.query.sql_with_params()
    except EmptyResultSet:  # e.g. a search that matched nothing
        return 0, facets, labels
    params = list(params)

    def counted_where(leave_out=None):
        parts = []
        for facet, values in selected.items():
            if not values or facet == leave_out:
                continue
            if facet == "free":
                values = ["true" if value else "false" for value in values]
            parts.append(f"{FACET_COLUMNS[facet]} IN ({', '.join(['%s'] * len(values))})")
            params.extend(sorted(values))
        return " AND ".join(parts) or "1 = 1"

    selects = [f"SELECT 'total', '', '', COUNT(*) FILTER (WHERE {counted_where()}) FROM facet_base"]
    for facet, column in FACET_COLUMNS.items():
        label = "f_category_name" if facet == "category" else "''"
        group_by = f"{column}, f_category_name" if facet == "category" else column
        selects.append(
            f"SELECT '{facet}', {column}, {label}, COUNT(*) FILTER (WHERE {counted_where(facet)}) "
            f"FROM facet_base GROUP BY {group_by}"
        )
    sql = f"WITH facet_base AS ({base_sql}) " + " UNION ALL ".join(selects)

    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, label, courses in cursor.fetchall():
            if facet == "total":
                count = courses
            elif value is not None and courses:
                facets[facet][value] = courses
                labels[facet][value] = label
    return count, facets, labels
