"""Excel exports: Chinese headers, the page's filters, and text that a spreadsheet would run kept as text."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from crm.lib.exports import ExportColumn, neutralise, write_xlsx
from tests.factories import EnterpriseFactory
from tests.leads.factories import MeetingLogFactory


@pytest.mark.parametrize(("value", "written"), [
    ("=1+2", "'=1+2"), ("+86 898", "'+86 898"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"), ("三亚", "三亚"), ("a=b", "a=b"), (-5, -5), (None, None),
])
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(value, written):
    assert neutralise(value) == written


def test_numbers_and_dates_stay_numbers_and_dates_and_text_is_never_a_formula():
    content = write_xlsx([ExportColumn("名称", lambda r: r[0]), ExportColumn("金额", lambda r: r[1]),
                          ExportColumn("日期", lambda r: r[2])],
                         [("=HYPERLINK(\"http://x\")", Decimal("12.50"), date(2026, 1, 5))])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    name, amount, day = next(sheet.iter_rows(min_row=2))
    assert name.data_type == "s" and name.value.startswith("'=")
    assert amount.value == 12.5 and day.value.date() == date(2026, 1, 5)


@pytest.mark.django_db
def test_the_enterprise_export_follows_the_search_and_neutralises_names(login, officer):
    EnterpriseFactory(name="=cmd|' /C calc'!A0 三亚")
    EnterpriseFactory(name="北京不相关有限公司")
    response = login(officer).get(reverse("crm:enterprise_export"), {"q": "三亚"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("名称", "统一社会信用代码")
    assert len(rows) == 2 and rows[1][0].startswith("'=")


@pytest.mark.django_db
def test_the_meeting_export_has_one_row_per_meeting(login, officer):
    MeetingLogFactory(discussion="-洽谈用地")
    MeetingLogFactory()
    response = login(officer).get(reverse("leads:meeting_export"))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "时间" and len(rows) == 3
    assert "'-洽谈用地" in [r[5] for r in rows]
