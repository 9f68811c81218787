"""Personas, set up once per test, so permission tests read like a story."""

import pytest

from crm.choices import Role
from tests.factories import UserFactory, bureau


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
