"""Staff decisions on money in the Wagtail admin: refund requests, staff refunds, payouts.

Who may act is the model's permission policy (commerce/wagtail_hooks.py: ViewOnlyPolicy
and its staff actions), checked by Wagtail's PermissionCheckedMixin.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from commerce.exceptions import CommerceError
from commerce.forms import PayoutRecordForm, RefundDecisionForm, RefundIssueForm
from commerce.models import LedgerEntry, Order, Refund
from commerce.money import money_display
from commerce.payouts import manual_payout_balances_by_specialist, payout_record
from commerce.refunds import refund_approve, refund_decline, refund_issue


class StaffMoneyView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    header_icon = "tag"
    model = Refund
    permission_required = "decide"

    def act(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            refund = self.act(form)
        except CommerceError as error:
            form.add_error(None, error.detail)
            return self.form_invalid(form)
        refund.refresh_from_db()  # with eager tasks it may be settled already
        messages.success(
            self.request,
            _("Refund of %(amount)s: %(status)s.")
            % {
                "amount": money_display(refund.amount, refund.order.currency),
                "status": refund.get_status_display().lower(),
            },
        )
        return redirect("commerce_refund:index")


class RefundDecisionView(StaffMoneyView):
    template_name = "commerce/admin/refund_decision.html"
    form_class = RefundDecisionForm

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.refund = get_object_or_404(
            Refund.objects.select_related("order__course", "order__enrollment__learner"), pk=pk
        )

    def get_page_title(self):
        return _("Refund request for “%(course)s”") % {"course": self.refund.order.course.title}

    def get_context_data(self, **kwargs):
        order = self.refund.order
        return super().get_context_data(
            refund=self.refund,
            order=order,
            amount=money_display(self.refund.amount, order.currency),
            **kwargs,
        )

    def act(self, form):
        decide = refund_approve if form.cleaned_data["decision"] == "approve" else refund_decline
        return decide(
            refund_id=self.refund.pk, staff=self.request.user, note=form.cleaned_data["note"]
        )


class RefundIssueView(StaffMoneyView):
    template_name = "commerce/admin/refund_issue.html"
    form_class = RefundIssueForm
    permission_required = "issue"

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.order = get_object_or_404(Order.objects.select_related("course"), pk=pk)

    def get_page_title(self):
        return _("Refund order %(id)s") % {"id": self.order.pk}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "order": self.order}

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.order, **kwargs)

    def act(self, form):
        return refund_issue(
            order=self.order,
            amount=form.cleaned_data["amount"],
            staff=self.request.user,
            note=form.cleaned_data["note"],
        )


class PayoutRecordView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Staff record a payout made by hand (a bank transfer) to a specialist."""

    model = LedgerEntry
    permission_required = "record_payout"
    template_name = "commerce/admin/payout_record.html"
    form_class = PayoutRecordForm
    page_title = _("Record a payout")
    header_icon = "tag"

    def get_context_data(self, **kwargs):
        balances = manual_payout_balances_by_specialist()
        due = [
            (
                specialist,
                [
                    money_display(row["due"], row["currency"])
                    for row in balances.get(specialist.pk, [])
                ],
            )
            for specialist in kwargs.get("form", self.get_form()).fields["specialist"].queryset
        ]
        return super().get_context_data(due=due, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            payout_record(
                specialist=data["specialist"],
                amount=data["amount"],
                currency=data["currency"],
                reference=data["reference"],
                by=self.request.user,
            )
        except CommerceError as error:
            form.add_error(None, error.detail)
            return self.form_invalid(form)
        messages.success(self.request, _("Payout recorded in the ledger."))
        return redirect("commerce_ledger:index")
