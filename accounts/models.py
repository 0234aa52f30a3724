from django.conf import settings
from django.db import models
from django.utils import timezone


class VerifiedEmail(models.Model):
    """An address its owner showed they read mail at (they followed the link we sent there).
    The account's address is verified while a row has it: a changed address is not."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_emails"
    )
    email = models.EmailField(max_length=254)
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "email"], name="one_verification_per_address")
        ]

    def __str__(self):
        return self.email
