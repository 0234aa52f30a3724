"""The test suite: SQLite in memory unless DATABASE_URL names a server."""

import tempfile

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, env

SECRET_KEY = "test-key-for-the-suite-only-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="courses-test-media-")
DEMO_SEED_ALLOWED = True
# Tasks run in the test process so a test can assert their outcome directly.
CELERY_TASK_ALWAYS_EAGER = True

# A Redis shared with other runs must not hand this run stale entries.
if "KEY_PREFIX" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="courses-test")
