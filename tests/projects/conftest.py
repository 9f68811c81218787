import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of the pipeline tests go to a temporary MEDIA_ROOT, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reviewers(reviewer_factory):
    """One reviewer for each partner bureau, by bureau code."""
    return {code: reviewer_factory(code) for code in ("talent", "ndrc", "ecology", "market", "planning")}
