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


# GROUPING() of (difficulty, course type, category, language, free) for each grouping
# set: the bit of the facet grouped on is 0, the others are 1.
GROUPING_BITS = {15: "difficulty", 23: "course_type", 27: "category", 29: "language", 30: "free"}


def _selection_sql(selected, leave_out=None):
    """The facet selections, but `leave_out`'s, as an SQL condition on the facet columns."""
    parts, params = [], []
    for facet, values in selected.items():
        if not values or facet == leave_out:
            continue
        if facet == "free":
            values = ["true" if value else "false" for value in values]
        parts.append(f"{FACET_COLUMNS[facet]} IN ({', '.join(['%s'] * len(values))})")
        params.extend(sorted(values))
    return " AND ".join(parts) or "1 = 1", params


def _facets_sql_grouping_sets(base_sql, base_params, selected):
    """PostgreSQL: one pass over the filtered courses with GROUPING SETS."""
    columns = ", ".join(FACET_COLUMNS.values())
    names, counts, params = [], [], []
    for bits, facet in GROUPING_BITS.items():
        condition, condition_params = _selection_sql(selected, leave_out=facet)
        names.append(f"WHEN {bits} THEN '{facet}'")
        counts.append(f"WHEN {bits} THEN COUNT(*) FILTER (WHERE {condition})")
        params += condition_params
    condition, condition_params = _selection_sql(selected)
    params += condition_params
    sql = (
        f"SELECT CASE GROUPING({columns}) {' '.join(names)} ELSE 'total' END, "
        f"COALESCE({columns}), COALESCE(f_category_name, ''), "
        f"CASE GROUPING({columns}) {' '.join(counts)} ELSE COUNT(*) FILTER (WHERE {condition}) END "
        f"FROM ({base_sql}) AS facet_base GROUP BY GROUPING SETS "
        "((f_difficulty), (f_course_type), (f_category, f_category_name), (f_language), (f_free), ())"
    )
    return sql, params + list(base_params)


def _facets_sql_union(base_sql, base_params, selected):
    """Other databases: the filtered courses as a CTE, grouped once per facet, UNION ALL."""
    params = list(base_params)
    condition, condition_params = _selection_sql(selected)
    selects = [f"SELECT 'total', '', '', COUNT(*) FILTER (WHERE {condition}) FROM facet_base"]
    params += condition_params
    for facet, column in FACET_COLUMNS.items():
        condition, condition_params = _selection_sql(selected, leave_out=facet)
        label = "f_category_name" if facet == "category" else "''"
        group_by = f"{column}, f_category_name" if facet == "category" else column
        selects.append(
            f"SELECT '{facet}', {column}, {label}, COUNT(*) FILTER (WHERE {condition}) "
            f"FROM facet_base GROUP BY {group_by}"
        )
        params += condition_params
    return f"WITH facet_base AS ({base_sql}) " + " UNION ALL ".join(selects), params


def catalog_facets(queryset, selected):
    """Result count and facet counts for a filtered catalog, in one query.

    `queryset` has every filter applied except the facet selections in `selected`.
    Counts are disjunctive, as filter sidebars expect: each facet counts matches
    under every *other* facet's selection, so choosing "beginner" still shows how
    many "advanced" courses there are. The query returns one row per facet value,
    however large the catalog. It is SQL because the ORM would compile six
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
        base_sql, base_params = base.query.sql_with_params()
    except EmptyResultSet:  # e.g. a search that matched nothing
        return 0, facets, labels
    build = _facets_sql_grouping_sets if connection.vendor == "postgresql" else _facets_sql_union
    sql, params = build(base_sql, base_params, selected)

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
