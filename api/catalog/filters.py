from functools import cache

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from coursepages.languages import LANGUAGE_CHOICES
from coursepages.models import CourseType, Difficulty

ORDERINGS = {
    "-rating": ("-rating_average", "-rating_count", "-published_at"),
    "price": ("price", "-published_at"),
    "-price": ("-price", "-published_at"),
    "-published": ("-published_at", "-pk"),
    "-popularity": ("-enrollment_count", "-published_at"),
    "relevance": ("-search_rank", "-published_at"),
}


NO_NUL = "^[^\\x00]*$"  # PostgreSQL cannot hold a NUL character; forms refuse it


@extend_schema_field({"type": "array", "items": {"type": "string", "pattern": NO_NUL}})
class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


@extend_schema_field({"type": "string", "maxLength": 200, "pattern": NO_NUL})
class SearchFilter(django_filters.CharFilter):
    pass


MAX_PRICE = 9_999_999.99  # what CoursePage.price can hold


@extend_schema_field({"type": "number", "minimum": 0, "maximum": MAX_PRICE})
class AmountFilter(django_filters.NumberFilter):
    def __init__(self, **kwargs):
        super().__init__(field_name="price", min_value=0, max_value=MAX_PRICE, **kwargs)


@extend_schema_field({"type": "number", "minimum": 0, "maximum": 5})
class RatingFilter(django_filters.NumberFilter):
    def __init__(self, **kwargs):
        super().__init__(field_name="rating_average", min_value=0, max_value=5, **kwargs)


class CourseFilter(django_filters.FilterSet):
    """Catalog query parameters. Facet parameters take several comma-separated values."""

    search = SearchFilter(
        method="no_op",
        max_length=200,
        help_text="Full-text search over title, summary, description, category, tags and instructor.",
    )
    difficulty = django_filters.MultipleChoiceFilter(
        choices=Difficulty.choices, method="no_op", help_text="Repeat for several."
    )
    course_type = django_filters.MultipleChoiceFilter(
        choices=CourseType.choices, method="no_op", help_text="Repeat for several."
    )
    category = CharInFilter(method="no_op", help_text="Category slugs, comma-separated.")
    language = django_filters.MultipleChoiceFilter(
        choices=LANGUAGE_CHOICES, method="no_op", help_text="Repeat for several."
    )
    free = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="no_op",
        help_text="true: free courses only; false: paid only.",
    )
    price_min = AmountFilter(lookup_expr="gte", help_text="In the course's own currency.")
    price_max = AmountFilter(lookup_expr="lte", help_text="In the course's own currency.")
    rating_min = RatingFilter(lookup_expr="gte", help_text="Average rating, 0 to 5.")
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in ORDERINGS if key != "relevance"],
        method="no_op",
        help_text="Default: relevance when searching, else -published.",
    )

    FACETS = ("difficulty", "course_type", "category", "language", "free")
    REPEATABLE = ("difficulty", "course_type", "language")
    TYPED = ("free", "price_min", "price_max", "rating_min", "ordering")  # "" is no value for these

    @classmethod
    @cache
    def cached_form_class(cls):
        fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
        return type(f"{cls.__name__}Form", (cls._meta.form,), fields)

    def get_form_class(self):
        # django-filter builds a new form class on every request; the fields never change.
        return self.cached_form_class()

    def no_op(self, queryset, name, value):
        # Applied by the catalog view: facets need their selections kept apart.
        return queryset

    @classmethod
    def parse(cls, query_params):
        """Validate query parameters into cleaned data, or raise with every field's error.

        Uses the form alone: a FilterSet instance deep-copies all its filters,
        which costs more per request than the catalog's SQL.
        """
        form = cls.cached_form_class()(query_params)
        errors = {} if form.is_valid() else dict(form.errors)
        for name in query_params:
            if name not in cls.REPEATABLE and len(query_params.getlist(name)) > 1:
                errors[name] = ["Give this parameter once."]
            elif name in cls.TYPED and query_params[name] == "":
                errors[name] = ["Leave the parameter out, or give it a value."]
        if errors:
            raise ValidationError(errors)
        return form.cleaned_data

    @classmethod
    def bounds(cls, data):
        """The range filters (price, rating) as one condition, as the filters declare them."""
        condition = Q()
        for name in ("price_min", "price_max", "rating_min"):
            if data.get(name) is not None:
                declared = cls.base_filters[name]
                condition &= Q(**{f"{declared.field_name}__{declared.lookup_expr}": data[name]})
        return condition

    @classmethod
    def facet_selection(cls, data):
        selection = {facet: set(data.get(facet) or ()) for facet in cls.FACETS if facet != "free"}
        selection["free"] = {data["free"] == "true"} if data.get("free") else set()
        return selection
