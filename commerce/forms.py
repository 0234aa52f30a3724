from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.names import staff_label
from commerce.models import LedgerEntry
from commerce.money import from_minor_units, minor_unit_exponent, money_display, to_minor_units
from coursepages.currencies import CURRENCY_CHOICES


class RefundAmountField(forms.DecimalField):
    """An amount in the order's currency, up to what is left to refund; cleaned to minor units."""

    def __init__(self, order, **kwargs):
        self.order = order
        places = minor_unit_exponent(order.currency)
        most = from_minor_units(order.refundable_amount, order.currency)
        super().__init__(
            min_value=Decimal(1).scaleb(-places),
            max_value=most,
            decimal_places=places,
            initial=most,
            label=_("Amount (%(currency)s)") % {"currency": order.currency},
            help_text=_("Up to %(most)s.")
            % {"most": money_display(order.refundable_amount, order.currency)},
            **kwargs,
        )

    def clean(self, value):
        return to_minor_units(super().clean(value), self.order.currency)


class RefundIssueForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"amount": RefundAmountField(order), **self.fields}


class RefundDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve and refund")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the learner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when declining: the learner is told why."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the refund is declined."))
        return cleaned


class PayoutRecordForm(forms.Form):
    specialist = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        help_text=_("Specialists with a share due by hand."),
    )
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES)
    amount = forms.DecimalField(min_value=Decimal("0.01"), decimal_places=2)
    reference = forms.CharField(
        max_length=200, help_text=_("The bank transfer's reference: recorded once only.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owed = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SPECIALIST_SHARE)
        self.fields["specialist"].label_from_instance = staff_label
        self.fields["specialist"].queryset = (
            get_user_model()
            .objects.filter(pk__in=owed.values("specialist"))
            .order_by("last_name", "first_name")
        )

    def clean(self):
        cleaned = super().clean()
        if "amount" in cleaned and "currency" in cleaned:
            places = minor_unit_exponent(cleaned["currency"])
            if cleaned["amount"] != round(cleaned["amount"], places):
                self.add_error("amount", _("Too many decimal places for this currency."))
            else:
                cleaned["amount"] = to_minor_units(cleaned["amount"], cleaned["currency"])
        return cleaned
