from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.documents import get_document_model
from wagtail.documents.views.chooser import viewset as document_chooser
from wagtail.models import TaskState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from coursepages.documents import (
    documents_reachable_by,
    may_reach_document,
    sees_every_document,
)
from coursepages.models import CourseCategory, CourseIndexPage, CoursePage, CourseReadinessTask
from coursepages.readiness import readiness_problems
from coursepages.selectors import teaching_filter
from coursepages.views import CourseArchiveView, CourseUnarchiveView


def _problem_list(intro, problems):
    items = format_html_join("", "<li>{}</li>", ((problem,) for problem in problems))
    return format_html("{}<ul>{}</ul>", intro, items)


@hooks.register("before_serve_document")
def serve_documents_to_those_who_reach_them(document, request):
    """Wagtail's document URLs are for the people who author and review the course
    (`coursepages.documents`); learners reach documents through the API's signed links."""
    if not may_reach_document(request.user, document):
        raise PermissionDenied


@hooks.register("construct_document_chooser_queryset")
def choose_only_reachable_documents(documents, request):
    if sees_every_document(request.user):
        return documents
    return documents.filter(pk__in=documents_reachable_by(request.user).values("pk"))


def document_chosen(request, pk):
    """The chooser's answer for one document (its title and URL), for those who reach it;
    Wagtail's own view checks only the collection's "choose" permission."""
    document = get_object_or_404(get_document_model(), pk=pk)
    if not may_reach_document(request.user, document):
        raise Http404
    return document_chooser.chosen_view(request, pk=pk)


@hooks.register("register_log_actions")
def register_course_log_actions(actions):
    actions.register_action("coursepages.course.archive", _("Archive course"), _("Course archived"))
    actions.register_action(
        "coursepages.course.unarchive", _("Unarchive course"), _("Course unarchived")
    )


@hooks.register("register_admin_urls")
def register_course_admin_urls():
    return [
        # Before Wagtail's own pattern for the same path (coursepages' hooks load first).
        path("documents/chooser/chosen/<str:pk>/", document_chosen),
        path(
            "courses/<int:page_id>/archive/",
            CourseArchiveView.as_view(),
            name="coursepages_course_archive",
        ),
        path(
            "courses/<int:page_id>/unarchive/",
            CourseUnarchiveView.as_view(),
            name="coursepages_course_unarchive",
        ),
    ]


@hooks.register("before_publish_page")
def refuse_publishing_unready_content(request, page):
    problems = readiness_problems(page)
    if problems:
        messages.error(
            request, _problem_list(_("Not published: the course is not ready yet."), problems)
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_unready_content(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    problems = [
        problem
        for page in objects
        for problem in readiness_problems(page.specific.get_latest_revision_as_object())
    ]
    if problems:
        messages.error(request, _problem_list(_("Nothing was published:"), problems))
        next_url = request.GET.get("next")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            next_url = reverse("wagtailadmin_explore_root")
        return redirect(next_url)
    return None


def _report_readiness_rejection(request, page):
    """After a submit, say right away what the readiness check sent back."""
    task_state = (
        TaskState.objects.filter(
            workflow_state__object_id=str(page.pk),
            workflow_state__base_content_type_id=page.get_base_content_type().pk,
            task__in=CourseReadinessTask.objects.all(),
        )
        .order_by("-started_at", "-pk")
        .first()
    )
    if (
        task_state is not None
        and task_state.status == TaskState.STATUS_REJECTED
        and task_state.revision_id == page.latest_revision_id
    ):
        messages.error(
            request,
            _problem_list(
                _("The readiness check sent it back for changes."),
                readiness_problems(task_state.revision.as_object()),
            ),
        )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def report_readiness_rejection(request, page):
    if request.POST.get("action-submit"):
        _report_readiness_rejection(request, page)


@hooks.register("construct_explorer_page_queryset")
def show_specialists_only_their_courses(parent_page, pages, request):
    user = request.user
    if parent_page.specific_class is not CourseIndexPage or user.is_superuser:
        return pages
    if "change" in parent_page.permissions_for_user(user).permissions:
        return pages
    return pages.filter(teaching_filter(user, to_course="coursepage__"))


class CourseArchiveMenuItem(PageMenuItem):
    icon_name = "folder-inverse"

    def __init__(self, *, page, next_url=None, priority=55):
        archived = page.is_archived
        super().__init__(
            label=_("Unarchive") if archived else _("Archive"),
            priority=priority,
            page=page,
            next_url=next_url,
        )
        self.url_name = "coursepages_course_unarchive" if archived else "coursepages_course_archive"

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_archive()


@hooks.register("register_page_header_buttons")
def course_archive_header_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, CoursePage):
        yield CourseArchiveMenuItem(page=page.specific_deferred, next_url=next_url)


@hooks.register("register_page_listing_more_buttons")
def course_archive_listing_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, CoursePage):
        yield CourseArchiveMenuItem(page=page.specific_deferred, next_url=next_url)


class CourseCategoryViewSet(SnippetViewSet):
    model = CourseCategory
    icon = "tag"
    menu_label = _("Course categories")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 210


register_snippet(CourseCategoryViewSet)
