"""Course lifecycle rules: publish, publish-with-content, archive, unarchive."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from coursepages.catalog import catalog_changed
from coursepages.events import course_archived
from coursepages.models import CoursePage
from coursepages.readiness import readiness_problems


class CourseNotReady(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


class CourseStateError(Exception):
    """A transition asked of a course in the wrong state (e.g. archiving an archived course)."""


@transaction.atomic
def course_publish(*, course, user=None):
    """Publish the course's latest revision, and its new content, if it passes readiness."""
    revision = course.get_latest_revision() or course.save_revision(user=user)
    problems = readiness_problems(revision.as_object())
    if problems:
        raise CourseNotReady(problems)
    revision.publish(user=user)


def course_new_content_publish(*, course, user=None):
    """Publish the modules and lessons of a course that have never been live, parents first.

    Approving a course approves what it contains: the editor reviewed the whole
    course, so its authors do not submit every lesson on its own the first time.
    Content that was live once and then unpublished stays unpublished.
    """
    new_pages = (
        course.get_descendants()
        .filter(live=False, first_published_at__isnull=True)
        .order_by("path")
        .specific()
    )
    for page in new_pages:
        revision = page.get_latest_revision() or page.save_revision(user=user)
        revision.publish(user=user)


@transaction.atomic
def course_archive(*, course, user):
    """Close the course to new learners and take it out of the catalog; content and learners stay."""
    course = CoursePage.objects.select_for_update().get(pk=course.pk)
    if course.is_archived:
        raise CourseStateError(_("“%(title)s” is already archived.") % {"title": course.title})
    course.archived_at = timezone.now()
    CoursePage.objects.filter(pk=course.pk).update(archived_at=course.archived_at, listed=False)
    log(instance=course, action="coursepages.course.archive", user=user)
    catalog_changed()
    course_archived.send(sender=CoursePage, course=course)
    return course


@transaction.atomic
def course_unarchive(*, course, user):
    """Put an archived course back in the catalog and open it to enrollment again."""
    course = CoursePage.objects.select_for_update().get(pk=course.pk)
    if not course.is_archived:
        raise CourseStateError(_("“%(title)s” is not archived.") % {"title": course.title})
    course.archived_at = None
    CoursePage.objects.filter(pk=course.pk).update(archived_at=None, listed=course.live)
    log(instance=course, action="coursepages.course.unarchive", user=user)
    catalog_changed()
    return course
