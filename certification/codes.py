"""Certificate codes: `CERT-2026-7QK4M9XD`, random and never sequential.

The eight random characters come from an alphabet without look-alikes (no 0/O,
1/I/L, U/V is kept apart by dropping U), so a code read off paper can be typed
back; 30**8 ≈ 6.6e11 codes, drawn with `secrets`, behind a rate-limited lookup,
leave nothing to enumerate.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 8
CODE_RE = re.compile(rf"^CERT-[0-9]{{4}}-[{ALPHABET}]{{{RANDOM_LENGTH}}}$")


def new_code(*, year: int) -> str:
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"CERT-{year:04d}-{random_part}"


def normalized_code(text: str) -> str | None:
    """The code as stored, from what someone typed (any case, stray spaces), or None."""
    code = text.strip().upper()
    return code if CODE_RE.match(code) else None
