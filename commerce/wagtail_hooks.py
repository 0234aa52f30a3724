"""Orders, refunds, the ledger and payout accounts in the Wagtail admin, for staff.

Listings are read-only with filters and CSV/XLSX export: money changes only
through the services (a refund decided or issued here goes through them too).
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.coreutils import multigetattr
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from accounts.admin_views import PeopleInspectMixin
from accounts.names import display_name
from accounts.spreadsheets import FormulaSafeExportMixin
from commerce.admin_views import PayoutRecordView, RefundDecisionView, RefundIssueView
from commerce.models import LedgerEntry, Order, PayoutAccount, Refund
from commerce.money import from_minor_units, money_display, to_minor_units
from commerce.refunds import PAID_STATUSES


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Staff may look (with the model's view permission); nobody adds, edits or deletes
    rows by hand. The model's add/change permissions open only the named staff actions,
    which go through the services (e.g. "decide" a refund needs change_refund)."""

    def __init__(self, model, staff_actions=None):
        super().__init__(model)
        self.staff_actions = staff_actions or {}

    def user_has_permission(self, user, action):
        if action in self.staff_actions:
            return super().user_has_permission(user, self.staff_actions[action])
        return action not in ("add", "change", "delete") and super().user_has_permission(
            user, action
        )


STAFF_ACTIONS = {
    Refund: {"issue": "add", "decide": "change"},
    LedgerEntry: {"record_payout": "add"},
}
for model in (Order, Refund, LedgerEntry, PayoutAccount):
    register_permission_policy(model, ViewOnlyPolicy(model, STAFF_ACTIONS.get(model)))


def staff_may(user, model, action):
    return policy_registry.get_by_type(model).user_has_permission(user, action)


class Money:
    """How a model's integer minor-unit fields read: "$99.00" for people, Decimal("99.00")
    (next to a currency column) in exports, so spreadsheets can add them up."""

    def __init__(self, *fields, currency="currency"):
        self.fields, self.currency = fields, currency

    def currency_of(self, instance):
        return instance.order.currency if self.currency == "order.currency" else instance.currency

    def display(self, instance, field):
        return money_display(getattr(instance, field), self.currency_of(instance))

    def decimal(self, instance, field):
        return from_minor_units(getattr(instance, field), self.currency_of(instance))

    def column(self, field, label):
        return Column(field, label=label, accessor=lambda instance: self.display(instance, field))


MONEY = {
    Order: Money("amount", "platform_fee", "specialist_share", "refunded_amount"),
    Refund: Money("amount", currency="order.currency"),
    LedgerEntry: Money("amount"),
}


def status_column(name="status", label=None):
    """A choice field by its label ("Partially refunded"), not its stored value."""
    return Column(name, label=label or _("Status"), accessor=f"get_{name}_display")


def person_column(name, label):
    """A user by their display name (never a username that may be an e-mail address)."""

    def name_of(instance):
        person = getattr(instance, name)
        return display_name(person) if person else ""

    return Column(name, label=label, accessor=name_of)


class MoneyIndexView(FormulaSafeExportMixin, IndexView):
    computed_exports = {}  # export column → function of the row
    select_related = ()  # what the listing and export show of each row's relations

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*self.select_related)

    def to_row_dict(self, item):
        row = {
            field: self.computed_exports[field](item)
            if field in self.computed_exports
            else multigetattr(item, field)
            for field in self.list_export
        }
        for field, value in row.items():
            if isinstance(value, get_user_model()):
                row[field] = display_name(value)
        money = MONEY.get(self.model)
        for field in money.fields if money else ():
            if field in row:
                row[field] = money.decimal(item, field)
        return row


class MoneyInspectView(PeopleInspectMixin, InspectView):
    def get_field_display_value(self, field_name, field):
        money = MONEY.get(self.model)
        if money and field_name in money.fields:
            return money.display(self.object, field_name)
        return super().get_field_display_value(field_name, field)


class StaffHistoryView(HistoryView):
    """Who did what to this row (refund decisions, payouts): for staff who may view it."""

    any_permission_required = ["view"]
    header_buttons = []  # no "Edit": rows are changed by services only

    def get_edit_url(self, instance):
        return None


def learner_name(order):
    return display_name(order.enrollment.learner) if order.enrollment_id else ""


class OrderIndexView(MoneyIndexView):
    select_related = ("course", "specialist", "enrollment__learner")
    computed_exports = {"learner": learner_name}

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        refundable = instance.refundable_amount and instance.status in PAID_STATUSES
        if refundable and staff_may(self.request.user, Refund, "issue"):
            buttons.append(
                ListingButton(
                    _("Refund"),
                    url=reverse("commerce_order_refund", args=[instance.pk]),
                    icon_name="undo",
                    priority=10,
                )
            )
        return buttons


class RefundIndexView(MoneyIndexView):
    select_related = ("order", "requested_by", "decided_by")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        waiting = instance.status == Refund.Status.REQUESTED
        if waiting and staff_may(self.request.user, Refund, "decide"):
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
    """Index, inspect and history; no add, edit, copy or delete view is reachable."""

    inspect_view_enabled = True
    inspect_view_class = MoneyInspectView
    history_view_class = StaffHistoryView
    copy_view_enabled = False
    form_fields = []  # no one gets the add or edit form (ViewOnlyPolicy)


class OrderViewSet(ViewOnlyViewSet):
    url_prefix = "commerce/orders"
    model = Order
    icon = "tag"
    menu_label = _("Orders")
    index_view_class = OrderIndexView
    list_display = [
        "__str__",
        "course",
        Column("learner", label=_("Learner"), accessor=learner_name),
        status_column(),
        MONEY[Order].column("amount", _("Amount")),
        MONEY[Order].column("refunded_amount", _("Refunded")),
        "paid_at",
    ]
    list_filter = ["status", "provider", "currency"]
    search_fields = ["course__title", "payment_reference", "checkout_reference"]
    list_export = [
        "id", "status", "course", "enrollment_id", "learner", "specialist", "amount", "currency",
        "commission_percent", "platform_fee", "specialist_share", "refunded_amount",
        "provider", "payment_reference", "created_at", "paid_at", "disputed_at",
    ]  # fmt: skip
    export_headings = {"enrollment_id": _("Enrollment"), "learner": _("Learner")}
    export_filename = "orders"


class RefundViewSet(ViewOnlyViewSet):
    url_prefix = "commerce/refunds"
    model = Refund
    icon = "undo"
    menu_label = _("Refunds")
    index_view_class = RefundIndexView
    list_display = [
        "__str__",
        "order",
        MONEY[Refund].column("amount", _("Amount")),
        status_column(),
        "created_at",
        person_column("decided_by", _("Decided by")),
    ]
    list_filter = ["status"]
    list_export = [
        "id", "order", "status", "amount", "order.currency", "reason", "requested_by", "decided_by",
        "decision_note", "failure_reason", "provider_reference", "created_at", "decided_at",
        "succeeded_at",
    ]  # fmt: skip
    export_headings = {"order.currency": _("Currency")}
    export_filename = "refunds"


class LedgerIndexView(MoneyIndexView):
    select_related = ("specialist", "course", "order")


class PayoutAccountIndexView(MoneyIndexView):
    select_related = ("specialist",)


class LedgerViewSet(ViewOnlyViewSet):
    url_prefix = "commerce/ledger"
    model = LedgerEntry
    icon = "list-ul"
    menu_label = _("Ledger")
    index_view_class = LedgerIndexView
    list_display = [
        "created_at",
        status_column("kind", _("Kind")),
        MONEY[LedgerEntry].column("amount", _("Amount")),
        person_column("specialist", _("Specialist")),
        "course",
        "order",
    ]
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
    index_view_class = PayoutAccountIndexView
    list_display = [
        person_column("specialist", _("Specialist")),
        "stripe_account_id",
        "charges_enabled",
        "payouts_enabled",
    ]


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


class PayoutRecordMenuItem(MenuItem):
    def is_shown(self, request):
        return staff_may(request.user, LedgerEntry, "record_payout")


@hooks.register("register_commerce_menu_item")
def register_payout_record_menu_item():
    return PayoutRecordMenuItem(
        _("Record a payout"), reverse("commerce_payout_record"), icon_name="plus", order=10
    )


class MoneyLogFormatter(LogFormatter):
    """A staff money action in the audit log, with its amount as people write it."""

    def format_message(self, log_entry):
        data = log_entry.data
        amount = to_minor_units(Decimal(data["amount"]), data["currency"])
        return self.message % {
            "money": money_display(amount, data["currency"]),
            "note": data.get("note") or "",
            "reference": data.get("reference", "").removeprefix("payout:"),
        }


REFUND_DECISIONS = [
    ("issue", _("Issue refund"), _("Refund of %(money)s issued by staff")),
    ("approve", _("Approve refund"), _("Refund of %(money)s approved")),
    ("decline", _("Decline refund"), _("Refund of %(money)s declined: %(note)s")),
]
MONEY_LOG_ACTIONS = [
    *[(f"commerce.refund.{name}", label, message) for name, label, message in REFUND_DECISIONS],
    *[(f"commerce.order.refund_{n}", label, message) for n, label, message in REFUND_DECISIONS],
    (
        "commerce.payout.record",
        _("Record payout"),
        _("Payout of %(money)s recorded (reference %(reference)s)"),
    ),
]


@hooks.register("register_log_actions")
def register_money_log_actions(actions):
    for action, label, message in MONEY_LOG_ACTIONS:
        actions.register_action(action)(
            type("MoneyLogFormatter", (MoneyLogFormatter,), {"label": label, "message": message})
        )
