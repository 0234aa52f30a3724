from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from coursepages.catalog import CARD_IMAGE_SPEC, catalog_changed
from coursepages.models import CourseCategory, CoursePage, LessonPage, ModulePage
from coursepages.services import course_new_content_publish

CATALOG_PAGES = (CoursePage, ModulePage, LessonPage)


@receiver(page_published, sender=CoursePage)
def publish_new_course_content(sender, instance, revision, **kwargs):
    course_new_content_publish(course=instance)
    if image := instance.cover_image:
        # Render the catalog card image once the publish commits (it writes to the media
        # storage, outside our transaction), so API reads never have to.
        transaction.on_commit(partial(image.get_rendition, CARD_IMAGE_SPEC))


def invalidate_catalog(sender, **kwargs):
    catalog_changed()


for page_model in CATALOG_PAGES:
    page_published.connect(invalidate_catalog, sender=page_model)
    page_unpublished.connect(invalidate_catalog, sender=page_model)
    post_delete.connect(invalidate_catalog, sender=page_model)
post_page_move.connect(invalidate_catalog)
post_save.connect(invalidate_catalog, sender=CourseCategory)
post_delete.connect(invalidate_catalog, sender=CourseCategory)
