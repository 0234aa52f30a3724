"""Orders, refunds and the ledger: the marketplace's money, in integer minor units."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from accounts.names import display_name
from commerce.money import money_display


@register_setting(icon="cogs")
class CommerceSettings(BaseGenericSetting):
    """Platform-wide money knobs, edited by staff under Settings → Commerce."""

    commission_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The platform's share of each sale, copied onto the order when it is made."),
    )
    checkout_expiry_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_("Unpaid checkouts expire after this many hours."),
    )

    panels = [FieldPanel("commission_percent"), FieldPanel("checkout_expiry_hours")]

    class Meta:
        verbose_name = _("commerce")


class Order(models.Model):
    """One attempt to pay for an enrollment, priced when it was made."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
        REFUNDED = "refunded", _("Refunded")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    class Provider(models.TextChoices):
        STRIPE = "stripe", "Stripe"
        DEVELOPMENT = "development", _("Development")

    enrollment = models.ForeignKey(
        "learning.Enrollment", on_delete=models.PROTECT, related_name="orders"
    )
    course = models.ForeignKey(
        "coursepages.CoursePage", on_delete=models.PROTECT, related_name="orders"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sales",
        help_text=_("The course's instructor when the order was made: their share is theirs."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    amount = models.PositiveIntegerField(help_text=_("In the currency's minor unit (cents)."))
    currency = models.CharField(max_length=3)
    commission_percent = models.DecimalField(max_digits=5, decimal_places=2)
    platform_fee = models.PositiveIntegerField()
    specialist_share = models.PositiveIntegerField()
    refunded_amount = models.PositiveIntegerField(default=0)
    provider = models.CharField(max_length=20, choices=Provider.choices)
    checkout_reference = models.CharField(
        max_length=255, blank=True, help_text=_("The provider's checkout session id.")
    )
    checkout_url = models.URLField(max_length=2000, blank=True)
    payment_reference = models.CharField(
        max_length=255, blank=True, help_text=_("The provider's payment id (Stripe PaymentIntent).")
    )
    destination_account = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The specialist's connected account, if paid out by Stripe."),
    )
    disputed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it failed, expired or was cancelled.")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(platform_fee=F("amount") - F("specialist_share")),
                name="order_fee_and_share_add_up_to_amount",
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=F("amount")),
                name="order_refunds_at_most_the_amount",
            ),
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(status="pending"),
                name="one_pending_order_per_enrollment",
            ),
            models.UniqueConstraint(
                fields=["checkout_reference"],
                condition=~Q(checkout_reference=""),
                name="order_checkout_reference_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="order_status_created"),
            models.Index(fields=["specialist", "-paid_at"], name="order_specialist_paid"),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Order {self.pk} ({self.get_status_display()})"

    @property
    def refundable_amount(self):
        return self.amount - self.refunded_amount


class Refund(models.Model):
    """Money going back to a learner: asked for, decided, sent and confirmed."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for staff")
        PENDING = "pending", _("Sent to the provider")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")
        DECLINED = "declined", _("Declined")

    OPEN_STATUSES = (Status.REQUESTED, Status.PENDING)

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    status = models.CharField(max_length=20, choices=Status.choices)
    amount = models.PositiveIntegerField(help_text=_("In the order's minor unit."))
    reason = models.TextField(blank=True, help_text=_("Why the learner asked."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when it was made at the provider (a dashboard refund, a lost dispute)."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    failure_reason = models.TextField(blank=True, help_text=_("Why the provider refused it."))
    provider_reference = models.CharField(
        max_length=255, blank=True, help_text=_("The provider's refund id.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=["requested", "pending"]),
                name="one_open_refund_per_order",
            ),
            models.UniqueConstraint(
                fields=["provider_reference"],
                condition=~Q(provider_reference=""),
                name="refund_provider_reference_unique",
            ),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Refund {self.pk} of order {self.order_id} ({self.get_status_display()})"


class LedgerEntry(models.Model):
    """One money movement. Append-only: corrections are new rows, never edits."""

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        PLATFORM_FEE = "platform_fee", _("Platform fee")
        SPECIALIST_SHARE = "specialist_share", _("Specialist share")
        REFUND = "refund", _("Refund")
        FEE_REVERSAL = "fee_reversal", _("Platform fee reversal")
        SHARE_REVERSAL = "share_reversal", _("Specialist share reversal")
        PAYOUT = "payout", _("Manual payout")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.BigIntegerField(help_text=_("Minor units; refunds and reversals are negative."))
    currency = models.CharField(max_length=3)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    course = models.ForeignKey(
        "coursepages.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    external_reference = models.CharField(
        max_length=255,
        unique=True,
        help_text=_("The provider object this movement comes from, with the movement's kind."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["specialist", "created_at"], name="ledger_specialist_created"),
            # Analytics sum a day of every course, and a window of one.
            models.Index(fields=["created_at"], name="ledger_created"),
            models.Index(fields=["course", "created_at"], name="ledger_course_created"),
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.get_kind_display()} {money_display(self.amount, self.currency)}"


class ProcessedEvent(models.Model):
    """A provider event already acted on: a second delivery finds it here and stops."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    processed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.type} {self.event_id}"


class ParkedEvent(models.Model):
    """A Stripe event about a payment not recorded yet (it overtook the checkout's
    completion): applied when that payment is."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    payment_intent = models.CharField(max_length=255, db_index=True)
    payload = models.JSONField()
    parked_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.type} {self.event_id} waiting for {self.payment_intent}"


class PayoutAccount(models.Model):
    """A specialist's Stripe Connect Express account, paid through destination charges."""

    specialist = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payout_account"
    )
    stripe_account_id = models.CharField(max_length=255, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{display_name(self.specialist)} ({self.stripe_account_id})"

    @property
    def ready(self):
        return self.charges_enabled and self.details_submitted
