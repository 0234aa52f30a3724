"""The development provider's checkout page: the local stand-in for Stripe's hosted one."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views import View

from commerce.models import Order
from commerce.money import from_minor_units
from commerce.providers.development import order_id_from
from commerce.services import order_close, order_mark_paid

CHECKOUT_MAX_AGE = 24 * 60 * 60


class DevelopmentCheckoutView(View):
    def dispatch(self, request, token):
        if settings.STRIPE_SECRET_KEY:
            raise Http404("The development checkout is off while Stripe is configured.")
        order_id = order_id_from(token, CHECKOUT_MAX_AGE)
        if order_id is None:
            raise Http404("No such checkout.")
        self.order = get_object_or_404(
            Order.objects.select_related("course", "enrollment"),
            pk=order_id,
            provider=Order.Provider.DEVELOPMENT,
        )
        return super().dispatch(request)

    def get(self, request):
        order = self.order
        return TemplateResponse(
            request,
            "commerce/development_checkout.html",
            {"order": order, "amount": from_minor_units(order.amount, order.currency)},
        )

    def post(self, request):
        order = self.order
        if request.POST.get("action") == "pay":
            order_mark_paid(order_id=order.pk, payment_reference=f"dev_pi_{order.pk}")
            target = settings.CHECKOUT_SUCCESS_URL
        else:
            order_close(order_id=order.pk, status=Order.Status.CANCELLED)
            target = settings.CHECKOUT_CANCEL_URL
        return HttpResponseRedirect(target.format(enrollment=order.enrollment_id))
