"""Webhook endpoints and their deliveries in the Wagtail admin: for staff with the
integrations permissions, and for specialists, who manage their own endpoints
(`integrations.admin_permissions`). Endpoints are added and changed through the services (the
same URL checks as the API); the secret is shown once, in the message after adding or
rotating. Deliveries are read-only, with their attempts, and can be sent again."""

import django_filters
from django import forms
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, InspectView
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy

from integrations.admin_permissions import DeliveryPolicy, EndpointPolicy
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

ENDPOINT_POLICY = EndpointPolicy(Endpoint)
register_permission_policy(Endpoint, ENDPOINT_POLICY)
DELIVERY_POLICY = DeliveryPolicy(Delivery)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A specialist's endpoints are their own: only staff choose whose an endpoint is.
        if self.for_user is not None and not ENDPOINT_POLICY.manages_all(self.for_user):
            del self.fields["specialist"]

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
            specialist=data["specialist"]
            if ENDPOINT_POLICY.manages_all(self.request.user)
            else self.request.user,
        )
        secret_message(self.request, endpoint, _("Endpoint added."))
        return endpoint


class EndpointEditView(EditView):
    def get_queryset(self):
        return ENDPOINT_POLICY.scope(self.request.user)

    def save_instance(self):
        data = self.form.cleaned_data
        return endpoint_update(
            endpoint=Endpoint.objects.get(pk=self.object.pk),
            **{field: data[field] for field in ("url", "description", "event_types", "enabled")},
        )


class EndpointDeleteView(DeleteView):
    def get_queryset(self):
        return ENDPOINT_POLICY.scope(self.request.user)


class EndpointIndexView(IndexView):
    def get_base_queryset(self):
        return ENDPOINT_POLICY.scope(self.request.user)

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
    delete_view_class = EndpointDeleteView
    index_view_class = EndpointIndexView
    copy_view_enabled = False
    list_display = ["url", "description", "specialist", "enabled", "disabled_reason"]
    list_filter = ["enabled"]
    search_fields = ["url", "description"]

    def get_form_class(self, for_update=False):
        return EndpointForm


def _endpoints_of(request):
    return ENDPOINT_POLICY.scope(request.user) if request else Endpoint.objects.none()


class DeliveryFilterSet(WagtailFilterSet):
    # Only the endpoints the user manages are offered, never another specialist's URL.
    endpoint = django_filters.ModelChoiceFilter(label=_("Endpoint"), queryset=_endpoints_of)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Delivery.Status.choices, empty_label=_("All")
    )

    class Meta:
        model = Delivery
        fields = []


class DeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return DELIVERY_POLICY.scope(self.request.user).select_related("event", "endpoint")

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
    def get_object(self, queryset=None):
        return get_object_or_404(DELIVERY_POLICY.scope(self.request.user), pk=unquote(str(self.pk)))

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
    filterset_class = DeliveryFilterSet
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
