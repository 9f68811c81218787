"""API clients authenticated with a token, as a partner system would call."""

import pytest
from rest_framework.test import APIClient

from crm.api.tokens import api_token_issue


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Files uploaded through the API go to a temporary MEDIA_ROOT, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_as():
    """api_as(user) -> an APIClient sending `Authorization: Token <key>` for a token issued to the user."""

    def make(user):
        client = APIClient()
        _token, key = api_token_issue(user=user, name="test", by=None)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def reviewers(reviewer_factory):
    """One reviewer for each partner bureau, by bureau code."""
    return {code: reviewer_factory(code) for code in ("talent", "ndrc", "ecology", "market", "planning")}
