import pytest


@pytest.fixture
def reviewers(reviewer_factory):
    """One reviewer for each partner bureau, by bureau code."""
    return {code: reviewer_factory(code) for code in ("talent", "ndrc", "ecology", "market", "planning")}
