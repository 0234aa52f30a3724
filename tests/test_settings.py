"""Production settings refuse to start half-configured and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7!kq2-production-like-secret-key-with-enough-entropy-0987654321",
    "ALLOWED_HOSTS": "courses.example.com",
    "DATABASE_URL": "postgres://courses@db.internal:5432/courses",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.internal:587",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
    "CERTIFICATE_SIGNING_KEY": ec.generate_private_key(ec.SECP256R1())
    .private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    .decode(),
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_stripe_so_no_one_pays_with_the_dev_checkout():
    for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
        result = manage("check", env=env)
        assert result.returncode != 0
        assert f"Set the {name} environment variable" in result.stderr


def test_production_refuses_to_start_without_a_credential_signing_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CERTIFICATE_SIGNING_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set the CERTIFICATE_SIGNING_KEY environment variable" in result.stderr


def test_check_deploy_refuses_a_signing_key_that_is_not_p256():
    env = {**PRODUCTION_ENV, "CERTIFICATE_SIGNING_KEY": "-----BEGIN PRIVATE KEY-----\\nnope"}
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "certification.E001" in result.stderr


def test_production_ships_no_benchmark_tooling():
    result = manage("help", "seed_bench", env=PRODUCTION_ENV)

    assert result.returncode != 0
    assert "Unknown command: 'seed_bench'" in result.stderr


def test_production_refuses_to_start_with_private_webhook_targets_allowed():
    result = manage("check", env={**PRODUCTION_ENV, "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true"})
    assert result.returncode != 0
    assert "WEBHOOKS_ALLOW_PRIVATE_TARGETS is for development and tests only" in result.stderr
    allowed = manage("check", env={**PRODUCTION_ENV, "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "false"})
    assert allowed.returncode == 0, allowed.stderr
