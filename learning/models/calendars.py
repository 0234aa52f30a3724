"""Calendar feed keys: the generation that a learner's feed tokens must carry."""

from django.conf import settings
from django.db import models


class CalendarFeedKey(models.Model):
    """How many times a user has rotated their calendar feed URLs.

    Feed tokens are signed (user, scope, generation) triples (learning.services.calendars);
    rotating raises `generation`, so every token signed before stops working. A user who
    never rotated has no row, and generation 0."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="calendar_feed_key",
    )
    generation = models.PositiveIntegerField(default=0)
    rotated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed key of {self.user_id} (generation {self.generation})"
