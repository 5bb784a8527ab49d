"""Production settings: secrets from the environment, and Django's deployment checks clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "psycomp.settings.production",
    "ALLOWED_HOSTS": "psychosocial.example.org",
    "DATABASE_URL": "postgres://app@db.example.org:5432/psycomp",
}


def _run(args, env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["manage.py", "check"], PROD_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("missing", ["ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_allowed_hosts(missing):
    env = {**PROD_ENV, "SECRET_KEY": secrets.token_urlsafe(60)}
    env[missing] = ""
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_check_deploy_is_clean_with_example_values():
    env = {**PROD_ENV, "SECRET_KEY": secrets.token_urlsafe(60)}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_uses_redis_for_cache_and_sessions_when_configured():
    env = {**PROD_ENV, "SECRET_KEY": secrets.token_urlsafe(60), "REDIS_URL": "redis://h:6379/1"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_SECURE, s.ALLOW_DEMO_DATA)"
    )
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "home.redis_cache.SharedClientRedisCache",
        "django.contrib.sessions.backends.cache",
        "31536000",
        "True",
        "False",
    ]
