"""Catalog reads the API's course list and detail share."""

from functools import cache

from django.db.models import OuterRef, Subquery
from wagtail.images import get_image_model

from coursepages.catalog import CARD_IMAGE_SPEC
from coursepages.models import CourseTag


@cache
def cover_rendition_file():
    """The card rendition's file for a course row's cover image, as a correlated subquery."""
    renditions = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(image_id=OuterRef("cover_image_id"), filter_spec=CARD_IMAGE_SPEC)
    )
    return Subquery(renditions.values("file")[:1])


def with_cover_rendition(queryset):
    return queryset.annotate(cover_rendition=cover_rendition_file())


def course_tag_names(course_id):
    """A course's tag names, alphabetically."""
    return list(
        CourseTag.objects.filter(content_object_id=course_id)
        .order_by("tag__name")
        .values_list("tag__name", flat=True)
    )
