"""Certificates in the Wagtail admin: list, search, inspect, and the staff actions on one.

Who may do what is the certificate's model permission policy (view_certificate to look,
manage_certificate to revoke, reissue and re-render), checked by Wagtail's mixins.
"""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import MenuItem
from wagtail.permissions import policy_registry

from accounts.admin_views import PeopleInspectMixin
from certification.exceptions import CertificateRevoked
from certification.links import verification_page_url
from certification.models import Certificate
from certification.services import certificate_reissue, certificate_render_pdf, certificate_revoke

CRITERIA = {
    "lessons": _("Lessons completed (%)"),
    "quizzes": _("Average quiz score (%)"),
    "assignments": _("Assignments passed"),
    "attendance": _("Live sessions attended (%)"),
}


def action_url(action, certificate):
    return reverse(f"certificate:{action}", args=[certificate.pk])


def actions_for(user, certificate):
    """(label, action, icon) of what this user may do to this certificate now."""
    policy = policy_registry.get_by_type(Certificate)
    if not certificate.is_valid or not policy.user_has_permission(user, "manage"):
        return []
    return [
        (_("Revoke"), "revoke", "cross"),
        (_("Reissue"), "reissue", "repeat"),
        (_("Regenerate PDF"), "regenerate", "doc-full"),
    ]


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("learner", "course")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for priority, (label, action, icon) in enumerate(
            actions_for(self.request.user, instance), start=40
        ):
            buttons.append(
                MenuItem(label, url=action_url(action, instance), icon_name=icon, priority=priority)
            )
        return buttons


class CertificateInspectView(PeopleInspectMixin, InspectView):
    """The certificate's facts, its snapshot as a table, and links to its PDF and its
    public verification page."""

    template_name = "certification/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Certificate.objects.select_related("learner", "course", "replaces"), pk=self.pk
        )

    @property
    def header_more_buttons(self):
        return [
            Button(label, url=action_url(action, self.object), icon_name=icon, priority=priority)
            for priority, (label, action, icon) in enumerate(
                actions_for(self.request.user, self.object), start=10
            )
        ]

    def get_context_data(self, **kwargs):
        snapshot = self.object.snapshot
        completed_at = snapshot.get("completed_at")
        return super().get_context_data(
            snapshot=snapshot,
            completed_at=datetime.fromisoformat(completed_at) if completed_at else None,
            criteria=[
                {**criterion, "label": CRITERIA.get(criterion["name"], criterion["name"])}
                for criterion in snapshot.get("criteria", [])
            ],
            pdf_url=reverse("certificate:pdf", args=[self.object.pk]) if self.object.pdf else None,
            verification_url=verification_page_url(self.object.code),
            **kwargs,
        )


class CertificateHistoryView(HistoryView):
    """Revocations, reissues and re-renders, with who did them: for staff who may view."""

    any_permission_required = ["view"]
    header_buttons = []  # no "Edit": rows are changed by services only

    def get_edit_url(self, instance):
        return None


class CertificatePdfView(PermissionCheckedMixin, View):
    """The certificate's stored PDF, for staff (learners download theirs through the API)."""

    model = Certificate
    permission_required = "view"

    def get(self, request, pk):
        certificate = get_object_or_404(Certificate, pk=pk)
        if not certificate.pdf:
            raise Http404("This certificate's PDF has not been rendered yet.")
        return FileResponse(
            certificate.pdf.open("rb"),
            content_type="application/pdf",
            filename=f"{certificate.code}.pdf",
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label=_("Reason"),
        help_text=_("Kept with the certificate and told to its holder."),
    )


class NoConfirmationForm(forms.Form):
    pass


class CertificateActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm, then revoke, reissue or re-render one valid certificate."""

    model = Certificate
    permission_required = "manage"
    template_name = "certification/admin/confirm_action.html"
    header_icon = "doc-full"
    action = None

    TEXT = {
        "revoke": (
            _("Revoke certificate"),
            _("Verification will answer “revoked” from now on; the holder is told why."),
        ),
        "reissue": (
            _("Reissue certificate"),
            _(
                "A new certificate with a new code replaces this one, using the learner's "
                "and the course's current names; this code will answer “revoked”."
            ),
        ),
        "regenerate": (
            _("Regenerate PDF"),
            _("The stored PDF is rendered again from the certificate's snapshot."),
        ),
    }

    @cached_property
    def certificate(self):
        return get_object_or_404(Certificate, pk=self.kwargs["pk"], status=Certificate.Status.VALID)

    def get_form_class(self):
        return RevokeForm if self.action == "revoke" else NoConfirmationForm

    def get_page_title(self):
        return self.TEXT[self.action][0]

    def get_page_subtitle(self):
        return self.certificate.code

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificate=self.certificate,
            explanation=self.TEXT[self.action][1],
            cancel_url=reverse("certificate:inspect", args=[self.certificate.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        certificate = self.certificate
        try:
            if self.action == "revoke":
                certificate_revoke(
                    certificate=certificate,
                    reason=form.cleaned_data["reason"],
                    by=self.request.user,
                )
                messages.success(self.request, _("Certificate %s revoked.") % certificate.code)
            elif self.action == "reissue":
                certificate = certificate_reissue(certificate=certificate, by=self.request.user)
                messages.success(
                    self.request, _("Reissued as %s; the old code is revoked.") % certificate.code
                )
            else:
                certificate_render_pdf(certificate=certificate, by=self.request.user)
                messages.success(self.request, _("PDF of %s rendered again.") % certificate.code)
        except CertificateRevoked as error:
            messages.error(self.request, str(error))
        return redirect("certificate:inspect", certificate.pk)
