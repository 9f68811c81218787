"""Set-up promises: production settings pass the deploy check, demo data is idempotent, logins lock and unlock."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from crm.models import Enterprise, User

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deploy_check_with_warnings_as_failures():
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests only; production never sets it.
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTEST_VERSION", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DEBUG="False", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="crm.jiyang.gov.cn")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DEBUG", "SECRET_KEY")}
    env.update(DEBUG="False")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_accounts(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (User.objects.count(), Enterprise.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Enterprise.objects.count()) == counts
    assert counts[1] >= 40
    assert "officer.wang" in first and "reviewer.ndrc" in first and "Jiyang@2026" in first
    for enterprise in Enterprise.objects.all():
        enterprise.full_clean()  # every demo credit code passes GB 32100-2015


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_for_the_cool_off_only(client, officer, settings):
    url = reverse("login")
    with time_machine.travel("2026-11-27 09:00 +0800", tick=False) as traveller:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(url, {"username": officer.username, "password": "wrong"})
        locked = client.post(url, {"username": officer.username, "password": "Correct-horse-9"})
        assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
        after = client.post(url, {"username": officer.username, "password": "Correct-horse-9"})
        assert after.status_code == 302


def test_production_hashes_passwords_with_argon2():
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DEBUG="False", SECRET_KEY=secrets.token_urlsafe(64))
    code = "from django.contrib.auth.hashers import get_hasher; print(get_hasher().algorithm)"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "argon2", result.stderr


def test_the_compose_file_describes_the_production_topology():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat", "backup"}
    assert "migrate" in " ".join(services["web"]["command"]) and "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "crm", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "crm", "beat"]
    assert services["web"]["environment"]["CELERY_BROKER_URL"].startswith("redis://redis")
    # the web processes share one cache, so a change clears the dashboard's figures for all of them
    assert services["web"]["environment"]["CACHE_URL"].startswith("redis://redis")


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit(settings):
    """JIT compilation costs this product's queries more than it saves (docs/performance.md)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting (the suite runs on PostgreSQL in CI too)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
