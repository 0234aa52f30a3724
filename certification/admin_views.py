"""Certificates in the Wagtail admin: list, search, inspect, and the staff actions on one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import MenuItem

from certification.exceptions import CertificateRevoked
from certification.models import Certificate
from certification.services import certificate_reissue, certificate_render_pdf, certificate_revoke

MANAGE = "certification.manage_certificate"


def action_url(action, certificate):
    return reverse(f"certificate:{action}", args=[certificate.pk])


def actions_for(user, certificate):
    """(label, action, icon) of what this user may do to this certificate now."""
    if not certificate.is_valid or not user.has_perm(MANAGE):
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


class CertificateInspectView(InspectView):
    @property
    def header_more_buttons(self):
        return [
            Button(label, url=action_url(action, self.object), icon_name=icon, priority=priority)
            for priority, (label, action, icon) in enumerate(
                actions_for(self.request.user, self.object), start=10
            )
        ]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label=_("Reason"),
        help_text=_("Kept with the certificate and told to its holder."),
    )


class NoConfirmationForm(forms.Form):
    pass


class CertificateActionView(WagtailAdminTemplateMixin, FormView):
    """Confirm, then revoke, reissue or re-render one valid certificate."""

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

    def dispatch(self, request, pk):
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        self.certificate = get_object_or_404(Certificate, pk=pk, status=Certificate.Status.VALID)
        return super().dispatch(request)

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
                certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"])
                messages.success(self.request, _("Certificate %s revoked.") % certificate.code)
            elif self.action == "reissue":
                certificate = certificate_reissue(certificate=certificate)
                messages.success(
                    self.request, _("Reissued as %s; the old code is revoked.") % certificate.code
                )
            else:
                certificate_render_pdf(certificate=certificate)
                messages.success(self.request, _("PDF of %s rendered again.") % certificate.code)
        except CertificateRevoked as error:
            messages.error(self.request, str(error))
        return redirect("certificate:inspect", certificate.pk)
