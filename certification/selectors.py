from certification.codes import normalized_code
from certification.models import Certificate


def certificate_to_verify(text: str) -> Certificate | None:
    """The certificate a typed or scanned code names, valid or revoked; None if unknown."""
    code = normalized_code(text)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


def certificates_of(user):
    return Certificate.objects.filter(learner=user)


def certificate_of(user, text: str) -> Certificate | None:
    code = normalized_code(text)
    return certificates_of(user).filter(code=code).first() if code else None
