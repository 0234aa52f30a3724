from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from certification.signing import signing_key


@register(Tags.security, deploy=True)
def credential_signing_key_loads(app_configs, **kwargs):
    """A bad CERTIFICATE_SIGNING_KEY is found at deploy time, not at the first credential."""
    if not settings.CERTIFICATE_SIGNING_KEY:
        return []
    signing_key.cache_clear()
    try:
        signing_key()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="certification.E001")]
    return []
