"""Development on one machine: DEBUG, a fixed development key, console e-mail."""

from config.settings.base import *  # noqa: F403
from config.settings.base import INSTALLED_APPS, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env(
    "SECRET_KEY", default="local-development-key-never-used-in-production-0123456789abcdef"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
DEMO_SEED_ALLOWED = True
# Webhooks may go to a receiver on this machine (`manage.py webhook_receiver`); production
# refuses to start with this on.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=True)
# Benchmark data and load tooling (seed_bench, bench_api); never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
