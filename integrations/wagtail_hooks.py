"""Webhook endpoints and their deliveries in the Wagtail admin, for staff with the
integrations permissions. Endpoints are added and changed through the services (the same
URL checks as the API); the secret is shown once, in the message after adding or rotating.
Deliveries are read-only, with their attempts, and can be sent again."""

from django import forms
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, InspectView
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from integrations.admin_views import (
    EndpointRotateView,
    EndpointTestView,
    RedeliverView,
    secret_message,
)
from integrations.event_types import SUBSCRIBABLE
from integrations.models import Delivery, Endpoint
from integrations.services import endpoint_create, endpoint_update
from integrations.targets import url_problems

ENDPOINT_POLICY = ModelPermissionPolicy(Endpoint)
register_permission_policy(Endpoint, ENDPOINT_POLICY)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Deliveries are looked at and sent again ("change"); never added or edited by hand."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)


DELIVERY_POLICY = ReadOnlyPolicy(Delivery)
register_permission_policy(Delivery, DELIVERY_POLICY)


class EndpointForm(WagtailAdminModelForm):
    url = forms.CharField(label=_("URL"), max_length=2000)
    event_types = forms.MultipleChoiceField(
        choices=[(name, name) for name in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked for every event type."),
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "event_types", "specialist", "enabled"]

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if problems := url_problems(url):
            raise forms.ValidationError(problems)
        return url


class EndpointCreateView(CreateView):
    success_message = None  # the secret message says it

    def save_instance(self):
        data = self.form.cleaned_data
        endpoint = endpoint_create(
            by=self.request.user,
            url=data["url"],
            description=data["description"],
            event_types=data["event_types"],
            specialist=data["specialist"],
        )
        secret_message(self.request, endpoint, _("Endpoint added."))
        return endpoint


class EndpointEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return endpoint_update(
            endpoint=Endpoint.objects.get(pk=self.object.pk),
            **{field: data[field] for field in ("url", "description", "event_types", "enabled")},
        )


class EndpointIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if ENDPOINT_POLICY.user_has_permission(self.request.user, "change"):
            for label, name, icon in (
                (_("Send a test event"), "integrations_endpoint_test", "mail"),
                (_("Rotate secret"), "integrations_endpoint_rotate", "key"),
                (_("Deliveries"), None, "list-ul"),
            ):
                url = (
                    reverse(name, args=[instance.pk])
                    if name
                    else reverse("integrations_delivery:index") + f"?endpoint={instance.pk}"
                )
                buttons.append(ListingButton(label, url=url, icon_name=icon, priority=10))
        return buttons


class EndpointViewSet(ModelViewSet):
    model = Endpoint
    url_prefix = "integrations/endpoints"
    icon = "link"
    menu_label = _("Webhook endpoints")
    form_fields = ["url", "description", "event_types", "specialist", "enabled"]
    add_view_class = EndpointCreateView
    edit_view_class = EndpointEditView
    index_view_class = EndpointIndexView
    copy_view_enabled = False
    list_display = ["url", "description", "specialist", "enabled", "disabled_reason"]
    list_filter = ["enabled"]
    search_fields = ["url", "description"]

    def get_form_class(self, for_update=False):
        return EndpointForm


class DeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event", "endpoint")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if DELIVERY_POLICY.user_has_permission(self.request.user, "change"):
            buttons.append(
                ListingButton(
                    _("Send again"),
                    url=reverse("integrations_delivery_redeliver", args=[instance.pk]),
                    icon_name="redirect",
                    priority=10,
                )
            )
        return buttons


class DeliveryInspectView(InspectView):
    def get_attempts_log_display_value(self):
        attempts = self.object.attempts_log.all()
        if not attempts:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} in {} ms {} <pre>{}</pre></li>",
                (
                    (a.at, a.status_code or "no answer", a.duration_ms, a.error, a.response_excerpt)
                    for a in attempts
                ),
            ),
        )

    def get_event_display_value(self):
        return format_html("{}<pre>{}</pre>", self.object.event.type, self.object.event.body)


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    url_prefix = "integrations/deliveries"
    icon = "mail"
    menu_label = _("Webhook deliveries")
    index_view_class = DeliveryIndexView
    inspect_view_enabled = True
    inspect_view_class = DeliveryInspectView
    inspect_view_fields = [
        "webhook_id", "endpoint", "event", "status", "attempts", "next_attempt_at",
        "last_status_code", "last_error", "succeeded_at", "created_at", "attempts_log",
    ]  # fmt: skip
    copy_view_enabled = False
    form_fields = []
    list_display = [
        "webhook_id",
        "endpoint",
        Column("event", label=_("Event"), accessor="event.type"),
        "status",
        "attempts",
        "last_status_code",
        "created_at",
    ]
    list_filter = ["status", "endpoint"]
    search_fields = ["webhook_id"]


class IntegrationsViewSetGroup(ViewSetGroup):
    menu_label = _("Webhooks")
    menu_icon = "link"
    menu_order = 270
    items = (EndpointViewSet("integrations_endpoint"), DeliveryViewSet("integrations_delivery"))


@hooks.register("register_admin_viewset")
def register_integrations_viewsets():
    return IntegrationsViewSetGroup()


@hooks.register("register_admin_urls")
def register_integrations_urls():
    return [
        path("integrations/endpoints/<int:pk>/test/", EndpointTestView.as_view(), name="integrations_endpoint_test"),
        path("integrations/endpoints/<int:pk>/rotate/", EndpointRotateView.as_view(), name="integrations_endpoint_rotate"),
        path("integrations/deliveries/<int:pk>/redeliver/", RedeliverView.as_view(), name="integrations_delivery_redeliver"),
    ]  # fmt: skip
