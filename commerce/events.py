"""What commerce announces; leaf apps (integrations) listen. Sent inside the transaction of
the change (see `learning.events.announce`)."""

from django.dispatch import Signal

# sender=Order, order=<Order>: the payment is recorded.
order_paid = Signal()

# sender=Order, order=<Order>, refund=<Refund>: money went back to the learner (the order is
# partially_refunded or refunded).
order_refunded = Signal()
