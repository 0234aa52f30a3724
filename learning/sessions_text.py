"""How a session's time reads in messages: in the cohort's time zone, then in UTC."""

import datetime
import zoneinfo


def session_time_text(starts_at: datetime.datetime, timezone_name: str) -> str:
    """E.g. "Tuesday 5 March 2024, 19:00 EST (America/New_York); 00:00 UTC, Wednesday 6 March"."""
    local = starts_at.astimezone(zoneinfo.ZoneInfo(timezone_name))
    utc = starts_at.astimezone(datetime.UTC)
    local_text = f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M %Z} ({timezone_name})"
    utc_text = f"{utc:%H:%M} UTC"
    if utc.date() != local.date():
        utc_text += f", {utc:%A} {utc.day} {utc:%B}"
    return f"{local_text}; {utc_text}"
