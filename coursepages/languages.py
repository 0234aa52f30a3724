"""Languages a course or caption track can be in, with their text direction."""

from django.conf import global_settings
from django.utils.translation import get_language_info

LANGUAGE_CHOICES = sorted(global_settings.LANGUAGES, key=lambda item: item[1])


def text_direction(language_code):
    """'rtl' or 'ltr' for a language code, so frontends can set dir=."""
    try:
        return "rtl" if get_language_info(language_code)["bidi"] else "ltr"
    except KeyError:
        return "ltr"
