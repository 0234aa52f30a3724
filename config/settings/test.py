"""The test suite: SQLite in memory unless DATABASE_URL names a server."""

import tempfile
import uuid

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, DJANGO_GUID, INSTALLED_APPS, REST_FRAMEWORK

SECRET_KEY = "test-key-for-the-suite-only-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="courses-test-media-")
DEMO_SEED_ALLOWED = True
# Tasks run in the test process so a test can assert their outcome directly.
CELERY_TASK_ALWAYS_EAGER = True
DJANGO_GUID = {**DJANGO_GUID, "INTEGRATIONS": []}  # eager tasks keep the request's id

# Each run gets its own cache namespace: a shared Redis must not hand it stale
# entries or throttle counts from an earlier run.
CACHES["default"]["KEY_PREFIX"] = f"courses-test-{uuid.uuid4().hex[:8]}"

# A snapshot counts what a test did a moment before (the lag is tested on its own).
ANALYTICS_SNAPSHOT_LAG_SECONDS = 0

# Throttling is tested on its own with low rates; elsewhere it must not interfere.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "auth": "100000/min"},
}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["certificate_verify"] = "100000/min"

# The benchmark tooling is tested too; production does not install it.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
