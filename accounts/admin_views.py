"""Pieces of the Wagtail admin's views that show people."""

from django.contrib.auth import get_user_model

from accounts.names import staff_label


class PeopleInspectMixin:
    """An InspectView that shows a user field as `staff_label` (by name, with the e-mail),
    not as the username, which is often the e-mail alone."""

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None) if field.is_relation else None
        if isinstance(value, get_user_model()):
            return staff_label(value)
        return super().get_field_display_value(field_name, field)
