"""Benchmark runs: production settings, plus Wagtail's API v2 and trivial views as baselines.

Started by `manage.py bench_api`, which supplies the environment variables.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import INSTALLED_APPS, REST_FRAMEWORK

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "bench"]
SECURE_SSL_REDIRECT = False
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "auth": None},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["certificate_verify"] = None
