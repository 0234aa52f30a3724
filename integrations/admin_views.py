"""Confirm, then act on one endpoint (send a test event, rotate its secret) or one delivery
(send it again). Who may act is the model's permission policy ("change"), checked by
Wagtail's PermissionCheckedMixin; the object is looked up among those the policy lets the user
manage, so another specialist's is not found."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from integrations.models import Delivery, Endpoint
from integrations.services import delivery_redeliver, endpoint_ping, endpoint_rotate_secret


def secret_message(request, endpoint, lead):
    messages.success(
        request,
        format_html(
            "{} Copy its signing secret now, it is not shown again: <code>{}</code>",
            lead,
            endpoint.secret,
        ),
    )


class ConfirmationForm(forms.Form):
    pass


class ActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "change"
    template_name = "integrations/admin/confirm_action.html"
    form_class = ConfirmationForm
    header_icon = "link"
    title = explanation = ""
    index_url_name = ""

    @cached_property
    def object(self):
        return get_object_or_404(
            self.permission_policy.scope(self.request.user), pk=self.kwargs["pk"]
        )

    def get_page_title(self):
        return self.title

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            explanation=self.explanation, cancel_url=reverse(self.index_url_name), **kwargs
        )

    def form_valid(self, form):
        self.act()
        return redirect(self.index_url_name)


class EndpointTestView(ActionView):
    model = Endpoint
    title = _("Send a test event")
    explanation = _("A signed webhook.test event goes to this endpoint only.")
    index_url_name = "integrations_endpoint:index"

    def act(self):
        delivery = endpoint_ping(endpoint=self.object)
        messages.success(self.request, _("Test event %s queued.") % delivery.webhook_id)


class EndpointRotateView(ActionView):
    model = Endpoint
    title = _("Rotate secret")
    explanation = _(
        "A new signing secret is made; the old one keeps signing alongside it for 24 hours."
    )
    index_url_name = "integrations_endpoint:index"

    def act(self):
        endpoint = endpoint_rotate_secret(endpoint=self.object)
        secret_message(self.request, endpoint, _("New secret made."))


class RedeliverView(ActionView):
    model = Delivery
    title = _("Send again")
    explanation = _("The event is sent again now, with the same webhook-id.")
    index_url_name = "integrations_delivery:index"

    def act(self):
        delivery = delivery_redeliver(delivery=self.object)
        messages.success(self.request, _("Sending %s again.") % delivery.webhook_id)
