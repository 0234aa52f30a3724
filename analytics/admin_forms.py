"""The range of UTC days an admin report covers: a preset (the last 7, 30 or 90 days) or a
custom from/to, by the rules the API applies (from ≤ to, at most two years)."""

from datetime import timedelta

from django import forms
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from analytics.definitions import GRANULARITIES, MAX_WINDOW_DAYS, Window, utc_today

PRESET_DAYS = ("7", "30", "90")
DEFAULT_PRESET = "30"
CUSTOM = "custom"


class ReportRangeForm(forms.Form):
    """Read from the query string (a GET form): an empty or absent field takes its default."""

    range = forms.ChoiceField(
        label=_("Range"),
        choices=[(days, _("Last %(days)s days") % {"days": days}) for days in PRESET_DAYS]
        + [(CUSTOM, _("From… to…"))],
        required=False,
    )
    granularity = forms.ChoiceField(
        label=_("By"),
        choices=[(name, name.capitalize()) for name in GRANULARITIES],
        required=False,
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        # `from` is a Python keyword: the field is added here rather than declared.
        self.fields = {
            "range": self.fields["range"],
            "from": forms.DateField(
                label=_("From"),
                required=False,
                help_text=_("First UTC day, included."),
                widget=forms.DateInput(attrs={"type": "date"}),
            ),
            "to": forms.DateField(
                label=_("To"),
                required=False,
                help_text=_("Last UTC day, included."),
                widget=forms.DateInput(attrs={"type": "date"}),
            ),
            "granularity": self.fields["granularity"],
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = utc_today()
        custom = cleaned.get("range") == CUSTOM or (
            not cleaned.get("range") and (cleaned.get("from") or cleaned.get("to"))
        )
        if custom:
            last = cleaned.get("to") or today
            first = cleaned.get("from") or last - timedelta(days=int(DEFAULT_PRESET) - 1)
        else:
            last = today
            first = today - timedelta(days=int(cleaned.get("range") or DEFAULT_PRESET) - 1)
        if first > last:
            raise forms.ValidationError(
                _("The range starts (%(first)s) after it ends (%(last)s)."),
                params={"first": first, "last": last},
                code="reversed",
            )
        window = Window(first, last)
        if window.days > MAX_WINDOW_DAYS:
            raise forms.ValidationError(
                _("The range spans %(days)s days; at most %(most)s are allowed."),
                params={"days": window.days, "most": MAX_WINDOW_DAYS},
                code="too_long",
            )
        cleaned["window"] = window
        cleaned["granularity"] = cleaned.get("granularity") or GRANULARITIES[0]
        return cleaned

    @cached_property
    def window(self) -> Window | None:
        return self.cleaned_data["window"] if self.is_valid() else None

    def query(self) -> str:
        """The query string of these choices, for links that keep them (`range=7&…`)."""
        return urlencode({name: self.data[name] for name in self.fields if self.data.get(name)})
