import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to a temporary MEDIA_ROOT, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def redis_worker(celery_redis_worker):
    """The shared real-worker fixture, with this thread's cached Celery connections dropped before and after.

    A task run eagerly earlier in the session (the import tests do) leaves the main thread holding a producer
    pool for the embedded default's broker and a disabled result backend; .delay() would then publish nowhere
    and .get() would wait in vain.
    """
    from crm.celery import app

    def forget():
        app._local.__dict__.pop("backend", None)
        app.amqp._producer_pool = None
        app._pool = None

    forget()
    yield celery_redis_worker
    forget()


@pytest.fixture
def reference_data(transactional_db):
    """The migrations' reference data (bureaus, industries, response-clock rules), loaded again if missing.

    A transactional test starts from whatever the previous one left; one that flushed the database without
    serialized rollback leaves no bureaus, and the personas need them. Request this fixture first.
    """
    from importlib import import_module

    from django.apps import apps

    import_module("crm.migrations.0002_reference_data").load(apps, None)
    import_module("leads.migrations.0002_response_clock_rules").load(apps, None)
