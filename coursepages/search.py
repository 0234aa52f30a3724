"""Catalog full-text search, chosen by the CATALOG_SEARCH_BACKEND setting.

- "postgres" (the default on PostgreSQL): full-text search over the stored
  `search_vector` column that PostgreSQL generates from CoursePage.search_document,
  through its GIN index (migration 0004), ranked with ts_rank. Its cost follows
  the matches, not the catalog size.
- "wagtail" (the default elsewhere): Wagtail's configured search backend,
  WAGTAILSEARCH_BACKENDS: the database backend (SQLite FTS5) out of the box,
  Elasticsearch or OpenSearch by changing that setting.

Either way the result is the same queryset, filtered and annotated with
`search_rank` (higher is better), so filters, facets and paging work unchanged.
"""

import re

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Case, FloatField, Value, When
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"
WAGTAIL_BACKEND_MAX_MATCHES = 1000


def search_backend():
    return getattr(settings, "CATALOG_SEARCH_BACKEND", None) or (
        "postgres" if connection.vendor == "postgresql" else "wagtail"
    )


def search_courses(queryset, text):
    """`queryset` narrowed to courses matching `text`, annotated with `search_rank`."""
    if search_backend() == "postgres":
        query = f"websearch_to_tsquery('{SEARCH_CONFIG}', %s)"
        matches = RawSQL(
            f"coursepages_coursepage.search_vector @@ {query}", (text,), BooleanField()
        )
        rank = RawSQL(
            f"ts_rank(coursepages_coursepage.search_vector, {query})", (text,), FloatField()
        )
        return queryset.filter(matches).annotate(search_rank=rank)
    # Search the whole model and filter afterwards: Wagtail's backends only filter
    # on indexed fields, and FTS5 treats quotes and operators as syntax.
    terms = " ".join(re.findall(r"\w+", text))
    if not terms:
        return queryset.none().annotate(search_rank=Value(0.0))
    results = queryset.model.objects.search(terms, operator="and", order_by_relevance=True)
    matching_ids = [course.pk for course in results[:WAGTAIL_BACKEND_MAX_MATCHES]]
    rank = Case(
        *[When(pk=pk, then=Value(float(-position))) for position, pk in enumerate(matching_ids)],
        default=Value(0.0),
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=matching_ids).annotate(search_rank=rank)
