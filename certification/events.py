"""What certification announces; leaf apps (integrations) listen. Sent inside the transaction
of the change (see `learning.events.announce`)."""

from django.dispatch import Signal

# sender=Certificate, certificate=<Certificate>: a certificate was issued (or reissued).
certificate_issued = Signal()

# sender=Certificate, certificate=<Certificate>: a certificate stopped being valid.
certificate_revoked = Signal()
