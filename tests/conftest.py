"""Personas, set up once per test, so permission tests read like a story."""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crm.choices import Role
from tests.factories import UserFactory, bureau


def pytest_collection_modifyitems(items):
    """Transactional tests (browser, real Celery worker) empty the tables when they end, which would also
    remove the reference data that migrations load (bureaus, industries, thresholds, policies). Serialised
    rollback restores it after each of them, so every later test sees the database as migrated."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}),
                            append=False)
        elif marker is None and {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialised reference data where every connection object can find it.

    Django stores it on the connection object; Playwright's synchronous API runs the test body in a greenlet
    with its own context, where `connections["default"]` is a fresh object without it, so serialised rollback
    would restore nothing. A class attribute is seen by every connection object of that backend.
    """
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        contents = conn.__dict__.get("_test_serialized_contents")
        if contents is not None:
            type(conn)._test_serialized_contents = contents
    yield


# The instant every test starts at, unless it travels elsewhere or is marked `real_clock`: a Wednesday morning in
# Shanghai, a working day. The suite never depends on the machine's clock, so it passes on any date
# (docs/testing.md shows how to check with faketime).
SUITE_NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def pytest_configure(config):
    config.addinivalue_line("markers", "real_clock: runs on the machine's clock instead of the suite's instant")


@pytest.fixture(scope="session", autouse=True)
def _suite_clock():
    """The whole session runs on the suite's clock, so fixtures set up once per module or session (a scale data
    set, the migrated database) are built at the same instant as the tests that read them."""
    with time_machine.travel(SUITE_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _suite_instant(request):
    """Start each test at SUITE_NOW, the clock ticking on from there (time-machine patches every thread of this
    process: the live server and a real Celery worker see the same instant). A test marked `real_clock` runs on
    the machine's clock instead."""
    start = time_machine.escape_hatch.time.time() if request.node.get_closest_marker("real_clock") else SUITE_NOW
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached reports of another test's database never leak in."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", full_name="王晓明", role=Role.OFFICER, bureau=bureau("promotion"))


@pytest.fixture
def other_officer(db):
    return UserFactory(username="other_officer", full_name="李娜", role=Role.OFFICER, bureau=bureau("promotion"))


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", full_name="陈局长", role=Role.LEADER, bureau=bureau("promotion"))


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role=Role.ADMIN, is_staff=True)


@pytest.fixture
def reviewer_factory(db):
    def make(code: str):
        return UserFactory(username=f"reviewer_{code}", role=Role.REVIEWER, bureau=bureau(code))

    return make


@pytest.fixture
def reviewer(reviewer_factory):
    """A reviewer of the Development and Reform Commission."""
    return reviewer_factory("ndrc")


@pytest.fixture
def personas(officer, other_officer, leader, administrator, reviewer):
    return {"officer": officer, "other_officer": other_officer, "leader": leader,
            "admin": administrator, "reviewer": reviewer}


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


# The tests' own Redis database: never the one a developer's server uses (CELERY_BROKER_URL, CACHE_URL), since
# the worker fixture empties it.
REDIS_TEST_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _same_redis_database(a: str, b: str) -> bool:
    from urllib.parse import urlsplit

    def where(url):
        parts = urlsplit(url)
        return parts.hostname, parts.port or 6379, int(parts.path.strip("/") or 0)

    return a.startswith("redis") and b.startswith("redis") and where(a) == where(b)


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def celery_redis_worker(transactional_db):
    """A real Celery worker (a thread in this process) consuming from the Redis at 127.0.0.1:6379.

    Tasks sent with .delay() go through Redis and run in the worker, as in production. Use with
    `@pytest.mark.django_db(transaction=True)`. Skips only where no Redis is reachable and CI is not set.
    """
    from celery.contrib.testing.worker import start_worker

    from crm.celery import app

    if not _redis_reachable(REDIS_TEST_URL):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no Redis at {REDIS_TEST_URL}")
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    def forget_connections():
        # A task run eagerly earlier in the session leaves this thread holding the embedded default's producer
        # pool and a disabled result backend; .delay() would then publish nowhere and .get() wait in vain.
        app._local.__dict__.pop("backend", None)
        app.amqp._producer_pool = None
        app._pool = None

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_TEST_URL, result_backend=REDIS_TEST_URL, task_always_eager=False)
    forget_connections()
    for name in ("CELERY_BROKER_URL", "CACHE_URL"):
        if _same_redis_database(REDIS_TEST_URL, os.environ.get(name, "")):
            pytest.fail(f"CELERY_TEST_BROKER_URL ({REDIS_TEST_URL}) is the Redis database of {name}: "
                        "the tests would empty it. Give the tests a database number of their own.")
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.update(saved)
        forget_connections()
