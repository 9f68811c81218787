"""The reports' pages are tested on one hand-built data set (tests/reports/factories.build_dataset), on the
morning of 27 November 2026 in Sanya."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.reports.factories import build_dataset

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def data(officer, other_officer):
    return build_dataset(officer, other_officer)
