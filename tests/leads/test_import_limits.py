"""A small spreadsheet cannot tie up the server: the import refuses a sheet beyond its limits, saying which,
before reading it, and stays within a few megabytes of memory doing so (measured, not timed)."""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from crm.lib.sheets import DEFAULT_LIMITS, SheetLimits
from leads.choices import ImportStatus
from leads.imports import import_start
from leads.ledger import read_ledger
from leads.models import LeadImport

MB = 1024 * 1024

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="线索台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    '<Relationship Id="rId2" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    "</Relationships>"
)
_SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _workbook(sheet_data: str, *, dimension: str | None, strings: str = "") -> bytes:
    """An xlsx written by hand, as an attacker would: the sheet's XML and its declared range as given."""
    sheet = _SHEET_OPEN + (f'<dimension ref="{dimension}"/>' if dimension else "")
    sheet += f"<sheetData>{sheet_data}</sheetData></worksheet>"
    shared = ('<?xml version="1.0" encoding="UTF-8"?>'
              f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


def _one_cell(ref: str, *, dimension: str | None) -> bytes:
    row = int("".join(ch for ch in ref if ch.isdigit()))
    return _workbook(f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>', dimension=dimension)


def _openpyxl_one_cell(row: int, column: int) -> bytes:
    """The issue's file, as openpyxl writes it: one cell far down and to the right, and its declared range."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "线索台账"
    workbook.active.cell(row=row, column=column, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read_measured(content: bytes, name: str = "ledger.xlsx", limits: SheetLimits = DEFAULT_LIMITS):
    """Read a file as the import does, returning the result and the peak of memory allocated meanwhile."""
    tracemalloc.start()
    try:
        result = read_ledger(content, filename=name, limits=limits)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


CRAFTED = {
    "one cell at row 20,000, column 50 (declared)": (_one_cell("AX20000", dimension="A1:AX20000"),
                                                      "too_many_cells", "20000 行 × 50 列"),
    "one cell at XFD1048576 (declared)": (_one_cell("XFD1048576", dimension="A1:XFD1048576"),
                                          "too_many_rows", "第 1048576 行"),
    "one cell at row 20,000, column 50, no dimension": (_one_cell("AX20000", dimension=None),
                                                         "too_many_cells", "20000 行 × 50 列"),
    "one cell at XFD1048576, no dimension": (_one_cell("XFD1048576", dimension=None),
                                             "too_many_rows", "第 1048576 行"),
    "one cell at row 20,000, column 50, dimension saying A1": (_one_cell("AX20000", dimension="A1"),
                                                                "too_many_cells", "20000 行 × 50 列"),
    "a column far to the right, dimension saying A1": (_one_cell("XFD1", dimension="A1"),
                                                       "too_many_columns", "XFD"),
    "thirty thousand empty rows, no dimension": (_workbook('<row/>' * 30_000, dimension=None),
                                                 "too_many_rows", "20000"),
}
# Floods of empty cells or strings are counted up to the limit; a lower limit keeps the test quick.
FLOODS = {
    "a flood of empty formatted cells in one row": (
        _workbook('<row r="1">' + '<c s="1"/>' * 500_000 + "</row>", dimension=None), "too_many_cells", "20000"),
    "a flood of shared strings": (_workbook("", dimension=None, strings="<si><t/></si>" * 1_000_000),
                                  "too_many_cells", "20000"),
}


@pytest.mark.parametrize("case", CRAFTED)
def test_a_crafted_small_workbook_is_refused_saying_which_limit_within_a_few_megabytes(case):
    content, code, words = CRAFTED[case]
    assert len(content) < 50_000  # a few kilobytes on the wire
    result, peak = _read_measured(content)
    assert [issue.code for issue in result.file_errors] == [code]
    assert words in result.file_errors[0].message
    assert not result.rows
    assert peak < 20 * MB, f"{peak / MB:.0f} MB"


@pytest.mark.parametrize("case", FLOODS)
def test_cells_and_strings_are_counted_as_they_are_read_and_the_reading_stops_at_the_limit(case):
    content, code, words = FLOODS[case]
    result, peak = _read_measured(content, limits=SheetLimits(max_cells=20_000))
    assert [issue.code for issue in result.file_errors] == [code]
    assert words in result.file_errors[0].message
    assert peak < 20 * MB, f"{peak / MB:.0f} MB"


def test_the_workbook_of_the_issue_made_by_openpyxl_is_refused_before_its_rows_are_read():
    content = _openpyxl_one_cell(20_000, 50)
    assert len(content) < 10_000
    result, peak = _read_measured(content)
    assert result.file_errors[0].code == "too_many_cells"
    assert "已用区域为 20000 行 × 50 列" in result.file_errors[0].message
    assert peak < 20 * MB, f"{peak / MB:.0f} MB"


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (40 * MB))
    result, peak = _read_measured(buffer.getvalue())
    assert result.file_errors[0].code == "too_large_unpacked"
    assert "解压后" in result.file_errors[0].message
    assert peak < 5 * MB, f"{peak / MB:.0f} MB"


def test_a_csv_beyond_the_limits_is_refused_as_it_is_read():
    wide = ("企业名称,线索来源" + ",x" * 100 + "\n").encode()
    result, _peak = _read_measured(wide, "ledger.csv")
    assert result.file_errors[0].code == "too_many_columns"
    long = "企业名称,线索来源\n".encode() + b"a,b\n" * 20_001
    result, peak = _read_measured(long, "ledger.csv")
    assert result.file_errors[0].code == "too_many_rows"
    assert peak < 30 * MB


def test_a_ledger_within_the_limits_is_read_in_full():
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>企业{n}</t></is></c>'
                   f'<c r="B{n}" t="inlineStr"><is><t>活动招商</t></is></c></row>' for n in range(2, 2002))
    header = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>')
    content = _workbook(header + rows, dimension="A1:B2001", strings="<si><t>企业名称</t></si><si><t>线索来源</t></si>")
    result = read_ledger(content, filename="ledger.xlsx")
    assert result.ok and len(result.rows) == 2000
    assert result.rows[-1].values["enterprise_name"] == "企业2001"


def test_the_limits_are_settings():
    limits = SheetLimits(max_rows=10, max_columns=5, max_cells=50)
    result = read_ledger(_one_cell("A11", dimension="A1:A11"), filename="a.xlsx", limits=limits)
    assert result.file_errors[0].code == "too_many_rows"
    assert "最多读取 10 行" in result.file_errors[0].message


@pytest.mark.django_db
def test_the_import_page_reports_the_refusal_in_chinese(officer, login, settings):
    settings.CRM_IMPORT_MAX_ROWS = 5_000
    client = login(officer)
    content = _one_cell("A6000", dimension="A1:A6000")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("leads:import_start"),
                               {"file": SimpleUploadedFile("台账.xlsx", content)})
    job = LeadImport.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.FAILED
    page = client.get(job.get_absolute_url()).content.decode()
    assert "工作表“线索台账”用到第 6000 行" in page and "最多读取 5000 行" in page


@pytest.mark.django_db
def test_the_import_is_read_by_a_task_queued_on_commit(officer):
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        job = import_start(by=officer, upload=SimpleUploadedFile("a.xlsx", _one_cell("A1", dimension="A1")))
    job.refresh_from_db()
    assert len(queued) == 1 and job.status == ImportStatus.ANALYSING  # nothing read in the request itself


_PROCESS_PEAK = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
django.setup()
from leads.ledger import read_ledger

def peak_mb():  # the process's own high-water mark of resident memory (reset by exec, unlike ru_maxrss)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024

content = open(sys.argv[1], "rb").read()
before = peak_mb()
result = read_ledger(content, filename="ledger.xlsx")
print(before, peak_mb(), repr(result.file_errors))
"""


@pytest.mark.parametrize("row, column", [(20_000, 50), (1_048_576, 16_384)])
def test_the_whole_process_reading_the_crafted_workbook_stays_under_100_mb(tmp_path, row, column):
    """The issue's 5 KB files read by a fresh process with the production settings: its peak resident memory, Django
    included, stays under 100 MB (the whole sheet used to be expanded: hundreds of megabytes), reading adds almost
    nothing, and the file is refused with the limit named."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "ledger.xlsx"
    path.write_bytes(_openpyxl_one_cell(row, column))
    assert path.stat().st_size < 6_000
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"} | {"DEBUG": "True"}
    done = subprocess.run([sys.executable, "-c", _PROCESS_PEAK, str(path)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    before_mb, after_mb, errors = done.stdout.strip().split(" ", 2)
    assert int(after_mb) - int(before_mb) < 100, f"peak {before_mb} MB before reading, {after_mb} MB after"
    assert int(after_mb) < 100, f"peak {after_mb} MB"  # the whole process, Django included
    assert "行" in errors
