"""Every Excel download is an attachment with the workbook's type and a name that says what and which day."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from crm.downloads import xlsx_download
from crm.lib.exports import XLSX_CONTENT_TYPE


def test_a_list_export_is_named_after_the_local_day_it_was_made():
    # Half past midnight in Shanghai is still the day before in UTC: the name follows the user's day.
    with time_machine.travel(datetime(2027, 1, 4, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        response = xlsx_download(b"PK", "leads")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="leads-20270104.xlsx"'
    assert response.content == b"PK"


def test_a_file_whose_name_says_what_it_holds_keeps_that_name():
    response = xlsx_download(b"PK", "statistics-2026-11", dated=False)
    assert response["Content-Disposition"] == 'attachment; filename="statistics-2026-11.xlsx"'
