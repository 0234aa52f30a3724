from django.urls import path

from api.commerce.views import (
    EarningsView,
    PaymentView,
    PayoutOnboardingView,
    PayoutsView,
    RefundView,
    StripeWebhookView,
)

urlpatterns = [
    path("specialist/earnings/", EarningsView.as_view(), name="specialist-earnings"),
    path("specialist/payouts/", PayoutsView.as_view(), name="specialist-payouts"),
    path(
        "specialist/payouts/connect/",
        PayoutOnboardingView.as_view(),
        name="specialist-payouts-connect",
    ),
    path("enrollments/<id:pk>/payment/", PaymentView.as_view(), name="enrollment-payment"),
    path("enrollments/<id:pk>/refund/", RefundView.as_view(), name="enrollment-refund"),
    path("webhooks/stripe/", StripeWebhookView.as_view(), name="stripe-webhook"),
]
