"""Staff decisions on money in the Wagtail admin: refund requests and staff refunds."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from commerce.exceptions import CommerceError
from commerce.forms import PayoutRecordForm, RefundDecisionForm, RefundIssueForm
from commerce.models import Order, Refund
from commerce.money import from_minor_units
from commerce.payouts import manual_payout_balances_by_specialist, payout_record
from commerce.refunds import refund_approve, refund_decline, refund_issue


class StaffMoneyView(WagtailAdminTemplateMixin, FormView):
    header_icon = "tag"
    permission = "commerce.change_refund"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def act(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            refund = self.act(form)
        except CommerceError as error:
            form.add_error(None, error.detail)
            return self.form_invalid(form)
        refund.refresh_from_db()  # with eager tasks it may be settled already
        amount = from_minor_units(refund.amount, refund.order.currency)
        messages.success(
            self.request,
            _("Refund of %(amount)s %(currency)s: %(status)s.")
            % {
                "amount": amount,
                "currency": refund.order.currency,
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
            amount=from_minor_units(self.refund.amount, order.currency),
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
    permission = "commerce.add_refund"

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


class PayoutRecordView(WagtailAdminTemplateMixin, FormView):
    """Staff record a payout made by hand (a bank transfer) to a specialist."""

    template_name = "commerce/admin/payout_record.html"
    form_class = PayoutRecordForm
    page_title = _("Record a payout")
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("commerce.add_ledgerentry"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        balances = manual_payout_balances_by_specialist()
        due = [
            (
                specialist,
                [
                    f"{from_minor_units(row['due'], row['currency'])} {row['currency']}"
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
            )
        except CommerceError as error:
            form.add_error(None, error.detail)
            return self.form_invalid(form)
        messages.success(self.request, _("Payout recorded in the ledger."))
        return redirect("commerce_ledger:index")
