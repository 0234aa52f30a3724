from django.dispatch import receiver
from wagtail.signals import page_published

from coursepages.models import CoursePage
from coursepages.services import course_new_content_publish


@receiver(page_published, sender=CoursePage)
def publish_new_course_content(sender, instance, revision, **kwargs):
    course_new_content_publish(course=instance)
