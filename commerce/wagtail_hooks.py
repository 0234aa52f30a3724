"""Orders, refunds, the ledger and payout accounts in the Wagtail admin, for staff.

Listings are read-only with filters and CSV/XLSX export: money changes only
through the services (a refund decided or issued here goes through them too).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from commerce.admin_views import PayoutRecordView, RefundDecisionView, RefundIssueView
from commerce.models import LedgerEntry, Order, PayoutAccount, Refund
from commerce.refunds import PAID_STATUSES


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Staff may look (with the model's view permission); nobody adds, edits or deletes."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(
            user, action
        )


for model in (Order, Refund, LedgerEntry, PayoutAccount):
    register_permission_policy(model, ViewOnlyPolicy(model))


class OrderIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        refundable = instance.refundable_amount and instance.status in PAID_STATUSES
        if refundable and self.request.user.has_perm("commerce.add_refund"):
            buttons.append(
                ListingButton(
                    _("Refund"),
                    url=reverse("commerce_order_refund", args=[instance.pk]),
                    icon_name="undo",
                    priority=10,
                )
            )
        return buttons


class RefundIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        waiting = instance.status == Refund.Status.REQUESTED
        if waiting and self.request.user.has_perm("commerce.change_refund"):
            buttons.append(
                ListingButton(
                    _("Decide"),
                    url=reverse("commerce_refund_decide", args=[instance.pk]),
                    icon_name="check",
                    priority=10,
                )
            )
        return buttons


class ViewOnlyViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # no one gets the add or edit form (ViewOnlyPolicy)


class OrderViewSet(ViewOnlyViewSet):
    url_prefix = "commerce/orders"
    model = Order
    icon = "tag"
    menu_label = _("Orders")
    index_view_class = OrderIndexView
    list_display = ["__str__", "course", "enrollment", "status", "amount", "currency", "paid_at"]
    list_filter = ["status", "provider", "currency"]
    search_fields = ["course__title", "payment_reference", "checkout_reference"]
    list_export = [
        "id", "status", "course", "enrollment", "specialist", "amount", "currency",
        "commission_percent", "platform_fee", "specialist_share", "refunded_amount",
        "provider", "payment_reference", "created_at", "paid_at", "disputed_at",
    ]  # fmt: skip
    export_filename = "orders"


class RefundViewSet(ViewOnlyViewSet):
    url_prefix = "commerce/refunds"
    model = Refund
    icon = "undo"
    menu_label = _("Refunds")
    index_view_class = RefundIndexView
    list_display = ["__str__", "order", "amount", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    list_export = [
        "id", "order", "status", "amount", "reason", "requested_by", "decided_by",
        "decision_note", "provider_reference", "created_at", "decided_at", "succeeded_at",
    ]  # fmt: skip
    export_filename = "refunds"


class LedgerViewSet(ViewOnlyViewSet):
    url_prefix = "commerce/ledger"
    model = LedgerEntry
    icon = "list-ul"
    menu_label = _("Ledger")
    list_display = ["created_at", "kind", "amount", "currency", "specialist", "course", "order"]
    list_filter = ["kind", "currency"]
    search_fields = ["external_reference"]
    list_export = [
        "id", "created_at", "kind", "amount", "currency", "specialist", "course", "order",
        "refund", "external_reference",
    ]  # fmt: skip
    export_filename = "ledger"


class PayoutAccountViewSet(ViewOnlyViewSet):
    url_prefix = "commerce/payout-accounts"
    model = PayoutAccount
    icon = "user"
    menu_label = _("Payout accounts")
    list_display = ["specialist", "stripe_account_id", "charges_enabled", "payouts_enabled"]


class CommerceViewSetGroup(ViewSetGroup):
    menu_label = _("Commerce")
    menu_icon = "tag"
    menu_order = 260
    submenu_hook = "register_commerce_menu_item"
    items = (OrderViewSet("commerce_order"), RefundViewSet("commerce_refund"),
             LedgerViewSet("commerce_ledger"), PayoutAccountViewSet("commerce_payout_account"))  # fmt: skip


@hooks.register("register_admin_viewset")
def register_commerce_viewsets():
    return CommerceViewSetGroup()


@hooks.register("register_admin_urls")
def register_staff_money_urls():
    return [
        path("commerce/orders/<int:pk>/refund/", RefundIssueView.as_view(), name="commerce_order_refund"),
        path("commerce/refunds/<int:pk>/decide/", RefundDecisionView.as_view(), name="commerce_refund_decide"),
        path("commerce/payouts/record/", PayoutRecordView.as_view(), name="commerce_payout_record"),
    ]  # fmt: skip


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_commerce_menu_item")
def register_payout_record_menu_item():
    return PermissionMenuItem(
        _("Record a payout"),
        reverse("commerce_payout_record"),
        icon_name="plus",
        order=10,
        permission="commerce.add_ledgerentry",
    )
