"""A short load test: gunicorn on 127.0.0.1 and simulated users (asyncio + httpx) who log in through the
login page and then browse a realistic mix of pages with think time between clicks.

Officers open their work page, the lists (often beyond page 1), leads, projects and enterprises; partner
reviewers open their request list and requests. Leaders are left out: their accounts need a second factor,
which a script cannot pass without weakening the configuration it measures (their pages are timed
in-process by the benchmark).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from crm.choices import Role
from crm.models import Enterprise, User
from tooling.scale.core import SCALE_PASSWORD, USERNAME_PREFIX

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Sample:
    page: str
    ms: float
    ok: bool


@dataclass
class Mix:
    """Weighted page kinds for one role; each kind is a function of the random source giving a path."""

    kinds: list[tuple[str, int, object]] = field(default_factory=list)

    def pick(self, rng: random.Random) -> tuple[str, str]:
        names, weights, makers = zip(*self.kinds, strict=True)
        i = rng.choices(range(len(names)), weights=weights)[0]
        return names[i], makers[i](rng)


def _mixes() -> dict[str, Mix]:
    """The page mix, with ids drawn from the database so detail pages hit real, varied rows."""
    from leads.models import Lead
    from projects.models import Project, ReviewRequest

    leads = list(Lead.objects.order_by("?").values_list("pk", flat=True)[:500])
    projects = list(Project.objects.order_by("?").values_list("pk", flat=True)[:500])
    enterprises = list(Enterprise.objects.order_by("?").values_list("pk", flat=True)[:500])
    requests = {}
    for bureau, pk in ReviewRequest.objects.values_list("bureau_id", "pk").order_by("?")[:2000]:
        requests.setdefault(bureau, []).append(pk)
    officer = Mix([
        ("work page", 20, lambda r: reverse("leads:my_work")),
        ("lead list", 15, lambda r: f"{reverse('leads:lead_list')}?page={r.choice([1, 1, 2, 3, 10, 50])}"),
        ("lead detail", 15, lambda r: reverse("leads:lead_detail", args=[r.choice(leads)])),
        ("enterprise list", 10, lambda r: f"{reverse('crm:enterprise_list')}?page={r.choice([1, 2, 5, 40])}"),
        ("enterprise detail", 10, lambda r: reverse("crm:enterprise_detail", args=[r.choice(enterprises)])),
        ("project list", 15, lambda r: f"{reverse('projects:project_list')}?page={r.choice([1, 1, 2, 8])}"),
        ("project detail", 10, lambda r: reverse("projects:project_detail", args=[r.choice(projects)])),
        ("meeting list", 5, lambda r: reverse("leads:meeting_list")),
    ])
    reviewer = Mix([("request list", 60, lambda r: reverse("projects:my_reviews"))])
    return {"officer": officer, "reviewer": reviewer, "requests": requests}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    """gunicorn with the production settings (DEBUG off), minus HTTPS: there is no TLS on 127.0.0.1."""
    env = {**os.environ, "DEBUG": "False", "SECURE_SSL_REDIRECT": "False", "SESSION_COOKIE_SECURE": "False",
           "CSRF_COOKIE_SECURE": "False", "ALLOWED_HOSTS": "127.0.0.1", "CRM_SESSION_IDLE_MINUTES": "0",
           "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret-key-not-for-production-0123456789"}
    log = open(Path(settings.BASE_DIR) / "var" / "bench-gunicorn.log", "w")  # noqa: SIM115 - lives with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "crm.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--timeout", "120", "--access-logfile", "-"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see var/bench-gunicorn.log")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


async def _user(client, username: str, mix: Mix, rng: random.Random, until: float, samples: list, think: tuple,
                ramp: tuple[float, float]):
    """Log in through the page like a browser at a moment of the ramp-up, then click through the mix until the
    time is up; only the clicks after the ramp-up are measured (``ramp``: its start and end, monotonic)."""
    import httpx

    await asyncio.sleep(rng.uniform(0, ramp[1] - ramp[0]))  # people arrive over the ramp-up, not at one instant
    login = reverse("login")
    try:
        page = await client.get(login)
        token = CSRF_INPUT.search(page.text).group(1)
        answer = await client.post(login, data={"username": username, "password": SCALE_PASSWORD,
                                                "csrfmiddlewaretoken": token}, headers={"Referer": str(page.url)})
        if answer.status_code != 302 or reverse("login") in answer.headers.get("location", login):
            samples.append(Sample("login", 0, False))
            return
    except (httpx.HTTPError, AttributeError):
        samples.append(Sample("login", 0, False))
        return
    await asyncio.sleep(rng.uniform(0, think[1]))  # users do not all click at the same instant
    while time.monotonic() < until:
        name, path = mix.pick(rng)
        measured = time.monotonic() >= ramp[1]
        started = time.perf_counter()
        try:
            response = await client.get(path)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        if measured or not ok:  # an error counts whenever it happens
            samples.append(Sample(name, (time.perf_counter() - started) * 1000, ok))
        await asyncio.sleep(rng.uniform(*think))


async def _drive(base: str, accounts: list[tuple[str, Mix]], seconds: float, think: tuple, seed: int,
                 ramp_up: float) -> list:
    import httpx

    samples: list[Sample] = []
    limits = httpx.Limits(max_connections=len(accounts) * 2)
    clients = [httpx.AsyncClient(base_url=base, timeout=60, limits=limits) for _ in accounts]
    now = time.monotonic()
    ramp = (now, now + ramp_up)
    until = ramp[1] + seconds
    try:
        await asyncio.gather(*[
            _user(client, username, mix, random.Random(seed + i), until, samples, think, ramp)
            for i, (client, (username, mix)) in enumerate(zip(clients, accounts, strict=True))])
    finally:
        for client in clients:
            await client.aclose()
    return samples


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 1)


def run_load_test(*, users: int = 50, seconds: float = 60, workers: int | None = None,
                  think: tuple = (0.5, 2.0), seed: int = 8, ramp_up: float = 15, out=print) -> dict:
    """Start gunicorn, let ``users`` simulated people log in over ``ramp_up`` seconds (each login hashes a
    password, by design the most expensive request there is), then measure ``seconds`` of their clicks;
    stop it and return the figures as a dict."""
    mixes = _mixes()
    scale = User.objects.filter(username__startswith=USERNAME_PREFIX, is_active=True)
    reviewers = list(scale.filter(role=Role.REVIEWER).values_list("username", flat=True))[: max(1, users // 10)]
    officers = list(scale.filter(role=Role.OFFICER).values_list("username", flat=True))[: users - len(reviewers)]
    accounts = [(u, mixes["officer"]) for u in officers] + [(u, mixes["reviewer"]) for u in reviewers]
    workers = workers or (2 * (os.cpu_count() or 1) + 1)
    port = _free_port()
    out(f"  load test: {len(accounts)} users ({len(officers)} officers, {len(reviewers)} reviewers), logging in "
        f"over {ramp_up:g} s, then {seconds:g} s measured; gunicorn with {workers} workers on 127.0.0.1:{port}")
    process = start_gunicorn(port, workers)
    try:
        samples = asyncio.run(_drive(f"http://127.0.0.1:{port}", accounts, seconds, think, seed, ramp_up))
        elapsed = seconds
    finally:
        process.terminate()
        process.wait(timeout=30)
    pages = [s for s in samples if s.page != "login"]
    times = [s.ms for s in pages]
    result = {
        "users": len(accounts), "seconds": round(elapsed, 1), "ramp_up_seconds": ramp_up, "workers": workers,
        "think_seconds": think,
        "requests": len(pages), "throughput_rps": round(len(pages) / elapsed, 1) if elapsed else None,
        "errors": sum(not s.ok for s in samples), "failed_logins": sum(s.page == "login" for s in samples),
        "p50_ms": _percentile(times, 50) if times else None, "p95_ms": _percentile(times, 95) if times else None,
        "p99_ms": _percentile(times, 99) if times else None,
        "by_page": {name: {"requests": len(v), "p50_ms": _percentile(v, 50), "p95_ms": _percentile(v, 95)}
                    for name in sorted({s.page for s in pages})
                    if (v := [s.ms for s in pages if s.page == name])},
        "mean_ms": round(statistics.fmean(times), 1) if times else None,
    }
    out(f"  load test: {result['requests']} requests, {result['throughput_rps']} req/s, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, {result['errors']} errors")
    return result
