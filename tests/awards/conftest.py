from datetime import date
from decimal import Decimal

import pytest

from awards import services
from tests.awards.factories import INSTALMENT_POLICY, capital, introducer, landed_project


@pytest.fixture
def instalment_policy(db):
    return services.award_policy_import(text=INSTALMENT_POLICY).policy


@pytest.fixture
def funded_project(officer):
    """A signed and registered project of the officer with 2亿元 in place: 1% is 200万元."""
    project = landed_project(officer)
    capital(project, officer, wan=15000)
    capital(project, officer, on=date(2025, 6, 1), usd_wan=Decimal("700"), rate=Decimal("7.1429"))
    return project


@pytest.fixture
def the_introducer(db):
    return introducer()
