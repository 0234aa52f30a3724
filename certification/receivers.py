"""Certification listens to learning: completion issues a certificate, a refund revokes it.

Both run inside learning's transaction: issuing (and its PDF and e-mail) is queued for
after the commit; revoking commits with the refund, or fails it.
"""

from django.db import transaction
from django.dispatch import receiver

from certification.models import Certificate
from certification.services import REASON_REFUNDED, certificate_revoke
from certification.tasks import issue_certificate
from learning.events import enrollment_completed, enrollment_refunded


@receiver(enrollment_completed)
def issue_on_completion(sender, enrollment, **kwargs):
    transaction.on_commit(lambda: issue_certificate.delay(enrollment.pk))


@receiver(enrollment_refunded)
def revoke_on_refund(sender, enrollment, **kwargs):
    for certificate in Certificate.objects.filter(enrollment=enrollment, status="valid"):
        certificate_revoke(certificate=certificate, reason=REASON_REFUNDED)
