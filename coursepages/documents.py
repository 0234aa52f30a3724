"""Who reaches a course document (a PDF, a caption file) in the admin and at Wagtail's own
document URLs: editors and superusers, everyone; a specialist, the documents they uploaded and
those the live lessons of a course they teach refer to (Wagtail's reference index). Learners
reach documents only through the API's signed links (`learning.downloads`), which check their
enrollment."""

from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, Q
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex

from accounts.roles import EDITORS
from accounts.selectors import group_names
from coursepages.selectors import courses_taught_by


def sees_every_document(user) -> bool:
    return user.is_active and (user.is_superuser or EDITORS in group_names(user))


def documents_reachable_by(user):
    Document = get_document_model()
    if sees_every_document(user):
        return Document.objects.all()
    if not user.is_authenticated:
        return Document.objects.none()
    paths = [Q(path__startswith=course.path) for course in courses_taught_by(user).only("path")]
    if not paths:
        return Document.objects.filter(uploaded_by_user=user)
    pages = Page.objects.filter(reduce(or_, paths)).annotate(key=Cast("pk", CharField()))
    referred = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=pages.values("key"),
        to_content_type=ContentType.objects.get_for_model(Document),
    ).annotate(document=Cast("to_object_id", IntegerField()))
    return Document.objects.filter(Q(uploaded_by_user=user) | Q(pk__in=referred.values("document")))


def may_reach_document(user, document) -> bool:
    return documents_reachable_by(user).filter(pk=document.pk).exists()
