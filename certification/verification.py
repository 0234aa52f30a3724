"""What public verification shows: the holder's name, the course, the issuer and the dates;
for a cohort course also the cohort (name and dates) and the learner's live-session
attendance, the record an employer verifies.

Also a 1EdTech Revocation List (`id`, `issuer`, `revokedCredentials`), which is
what an Open Badges verifier reads when it follows the credential's
`credentialStatus` here.
"""

from datetime import date, datetime

from django.utils.dateformat import format as format_date

from certification.credentials import issuer_id
from certification.links import verification_api_url, verification_page_url


def cohort_of(snapshot) -> dict | None:
    """The cohort a certificate states, with its dates as dates; None for self-paced courses
    (and certificates issued before cohorts were stated)."""
    cohort = snapshot.get("cohort")
    if cohort is None:
        return None
    return {
        "name": cohort["name"],
        "starts_on": date.fromisoformat(cohort["starts_on"]),
        "ends_on": date.fromisoformat(cohort["ends_on"]),
    }


def attendance_of(snapshot) -> dict | None:
    """The live-session attendance a certificate states; None for self-paced courses."""
    attendance = snapshot.get("attendance")
    if attendance is None:
        return None
    return {key: attendance[key] for key in ("attended", "counted", "held", "excused", "percent")}


def attendance_text(attendance: dict | None) -> str:
    """The attendance as a sentence, e.g. "Attended 7 of 8 live sessions (87.5 %)"; with
    excused sessions, which the percent leaves out, "…, 1 excused absence not counted"."""
    if attendance is None:
        return ""
    percent = "–" if attendance["percent"] is None else f"{attendance['percent']:.1f} %"
    text = f"Attended {attendance['attended']} of {attendance['counted']} live sessions ({percent})"
    excused = attendance["excused"]
    if excused:
        text += f", {excused} excused absence{'s' if excused > 1 else ''} not counted"
    return text


def cohort_text(cohort: dict | None) -> str:
    """The cohort as a line, e.g. "Batch 3, 1 March 2024 – 5 April 2024"."""
    if cohort is None:
        return ""
    return f"{cohort['name']}, {_day(cohort['starts_on'])} – {_day(cohort['ends_on'])}"


def _day(day: date) -> str:
    return format_date(day, "j F Y")


def verification_of(certificate) -> dict:
    snapshot = certificate.snapshot
    revoked = not certificate.is_valid
    return {
        "id": verification_api_url(certificate.code),
        "code": certificate.code,
        "status": certificate.status,
        "holder": snapshot["learner_name"],
        "course": snapshot["course_title"],
        "issuer": {
            "id": issuer_id(),
            "name": snapshot["issuer_name"],
            "instructor": snapshot["specialist_name"],
        },
        "completed_on": datetime.fromisoformat(snapshot["completed_at"]).date(),
        "issued_on": certificate.issued_at.date(),
        "revoked_on": certificate.revoked_at.date() if revoked else None,
        "cohort": cohort_of(snapshot),
        "attendance": attendance_of(snapshot),
        "verify_url": verification_page_url(certificate.code),
        "revokedCredentials": (
            [{"id": verification_page_url(certificate.code), "revoked": True}] if revoked else []
        ),
    }
