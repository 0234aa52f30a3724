"""The public catalog: which courses it shows, and a version that changes whenever it does.

Shared caches of catalog responses are keyed on `catalog_version()`; anything
that changes what the catalog shows calls `catalog_changed()`, which makes every
cached entry and ETag stale at once.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, Value, When
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


FACET_FIELDS = {
    "difficulty": "difficulty",
    "course_type": "course_type",
    "category": "category__slug",
    "language": "language",
    "free": "is_free",
}


def catalog_facets(queryset, selected):
    """Result count and facet counts for a filtered catalog, from one grouped query.

    `queryset` has every filter applied except the facet selections in `selected`
    ({facet: set of values}). Counts are disjunctive, as filter sidebars expect:
    each facet counts matches under every *other* facet's selection, so choosing
    "beginner" still shows how many "advanced" courses there are.
    """
    rows = list(
        queryset.annotate(
            is_free=Case(When(price=0, then=Value(True)), default=Value(False)),
        )
        .values(*FACET_FIELDS.values(), "category__name")
        .annotate(courses=Count("pk"))
        .order_by()
    )

    facets = {facet: {} for facet in FACET_FIELDS}
    category_names = {}
    total = 0
    for row in rows:
        category_names[row["category__slug"]] = row["category__name"]
        unmet = [
            facet
            for facet, values in selected.items()
            if values and row[FACET_FIELDS[facet]] not in values
        ]
        if len(unmet) > 1:
            continue  # outside the results and outside every facet's count
        if not unmet:
            total += row["courses"]
        for facet in unmet or FACET_FIELDS:
            value = row[FACET_FIELDS[facet]]
            facets[facet][value] = facets[facet].get(value, 0) + row["courses"]
    return total, facets, category_names
