"""Reading lead ledgers: the real 2025 sample, cell by cell parsing, CSV encodings and the import template."""

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from crm.validators import credit_code_problem
from leads.ledger import (
    COLUMNS,
    REQUIRED_FIELDS,
    CellError,
    LedgerRow,
    ParsedAmount,
    SkippedRow,
    find_header_row,
    normalize_credit_code,
    parse_amount,
    parse_amount_wan,
    parse_date_cell,
    read_ledger,
    write_template,
)

SAMPLE = Path("/work/shared/samples/lead-ledger-2025.xlsx")
if not SAMPLE.exists():  # the copy kept with the repository's test data, when there is one
    SAMPLE = Path(__file__).resolve().parents[1] / "data" / "lead-ledger-2025.xlsx"

needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason="the sample ledger is not available")

HEADERS = ["企业名称", "统一社会信用代码", "意向投资额（万元）", "线索来源", "首次接洽日期"]


def _xlsx(rows, *, merges=(), sheet_title="台账"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows, *, encoding="utf-8", delimiter=","):
    text = "\r\n".join(delimiter.join(str(cell) for cell in row) for row in rows) + "\r\n"
    return text.encode(encoding)


# --- the real sample ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    if not SAMPLE.exists():
        pytest.skip("the sample ledger is not available")
    return read_ledger(SAMPLE, filename=SAMPLE.name, credit_code_problem=credit_code_problem)


@needs_sample
def test_the_sample_is_read_from_its_real_header(sample):
    assert sample.ok
    assert sample.sheet_name == "2025年线索台账"
    assert sample.header_row == 3
    assert sample.amount_unit == "万元"
    assert sample.columns == {
        "serial": "序号",
        "enterprise_name": "企业名称",
        "credit_code": "统一社会信用代码",
        "project_name": "项目名称",
        "industry": "所属行业",
        "origin": "投资方来源地",
        "intended_investment_wan": "意向投资额（万元）",
        "source": "线索来源",
        "introducer": "引荐人/中介",
        "owner": "对接人",
        "first_contact_date": "首次接洽日期",
        "progress": "当前进展",
        "notes": "备注",
    }
    assert sample.ignored_columns == ()


@needs_sample
def test_the_sample_skips_title_unit_blank_and_totals_rows(sample):
    assert sample.skipped == (
        SkippedRow(1, "title"),
        SkippedRow(2, "unit"),
        SkippedRow(3, "header"),
        SkippedRow(12, "blank"),
        SkippedRow(14, "totals"),
    )
    assert [r.row_number for r in sample.rows] == [4, 5, 6, 7, 8, 9, 10, 11, 13]


# row, enterprise, credit code, amount (万元), first contact, source, officer: what a person reads in the sample
SAMPLE_VALUES = [
    (4, "深圳椰海文旅集团有限公司", "91440300MAAY4CL12B", "120000", date(2025, 1, 8), "中介招商", "王晓明"),
    (5, "北京云帆数科技术有限公司", "91110108MA2TH3BJ3D", "5000", date(2025, 3, 1), "以商招商", "李娜"),
    (6, "浙江青禾农业科技股份有限公司", "91330100MA1XG6125U", "30000", date(2025, 3, 15), "活动招商", "陈涛"),
    (7, "新加坡蓝港投资控股有限公司", None, "12000", date(2025, 4, 2), "上级交办", "王晓明"),
    (8, "深圳市星河医疗器械有限公司", "91440300MADD272H4Y", "3000", date(2025, 5, 20), "主动对接", "赵敏"),
    (9, "北京云帆数科技术有限公司（三亚分公司）", None, "8000", date(2025, 6, 30), "以商招商", "李娜"),
    (10, "北京米立方智能科技有限公司", "91110108MAD1TJ3Y9L", "2000", None, "来电来访", "陈涛"),
    (11, "海南南繁种业研究院有限公司", "91460203MA7LLJY1X2", "15000", date(2025, 8, 18), "主动对接", "赵敏"),
    (13, "三亚湾邮轮服务有限公司", None, "20000", date(2025, 9, 9), "中介招商", "李娜"),
]


@needs_sample
@pytest.mark.parametrize(
    ("row_number", "name", "code", "amount", "first_contact", "source", "owner"),
    SAMPLE_VALUES,
    ids=[f"row{r[0]}" for r in SAMPLE_VALUES],
)
def test_the_sample_values(sample, row_number, name, code, amount, first_contact, source, owner):
    values = sample.row(row_number).values
    assert values["enterprise_name"] == name
    assert values["credit_code"] == code
    assert values["intended_investment_wan"] == Decimal(amount)
    assert isinstance(values["intended_investment_wan"], Decimal)
    assert values["first_contact_date"] == first_contact
    assert values["source"] == source
    assert values["owner"] == owner
    assert "serial" not in values


@needs_sample
def test_the_sample_keeps_every_text_column(sample):
    assert sample.row(4).values == {
        "enterprise_name": "深圳椰海文旅集团有限公司",
        "credit_code": "91440300MAAY4CL12B",
        "project_name": "椰海湾滨海度假综合体",
        "industry": "住宿和餐饮业",
        "origin": "广东深圳",
        "intended_investment_wan": Decimal("120000"),
        "source": "中介招商",
        "introducer": "三亚某商务咨询有限公司",
        "owner": "王晓明",
        "first_contact_date": date(2025, 1, 8),
        "progress": "洽谈中",
        "notes": None,
    }
    assert sample.row(6).values["notes"] == "2025海南自贸港招商推介会（上海站）"


# row: (error codes by field, warning codes by field) for every row of the sample with a problem
SAMPLE_PROBLEMS = {
    8: ({}, {"intended_investment_wan": "approximate"}),  # 约3000
    9: ({}, {"enterprise_name": "possible_duplicate"}),  # the Sanya branch of row 5's enterprise
    10: ({"first_contact_date": "impossible_date"}, {}),  # 2025/13/01
    11: ({"credit_code": "invalid_credit_code"}, {}),  # check character 2 where 1 is due
}


@needs_sample
@pytest.mark.parametrize("row_number", [4, 5, 6, 7, 8, 9, 10, 11, 13])
def test_the_sample_reports_each_problem_row_with_its_reason(sample, row_number):
    row = sample.row(row_number)
    errors, warnings = SAMPLE_PROBLEMS.get(row_number, ({}, {}))
    assert {e.field: e.code for e in row.errors} == errors
    assert {w.field: w.code for w in row.warnings} == warnings
    assert len(row.errors) == len(errors) and len(row.warnings) == len(warnings)
    assert row.ok is not errors
    for issue in (*row.errors, *row.warnings):
        assert issue.message


@needs_sample
def test_the_sample_problem_messages_name_what_is_wrong(sample):
    [date_error] = sample.row(10).errors
    assert "2025/13/01" in date_error.message and "首次接洽日期" in date_error.message
    [code_error] = sample.row(11).errors
    assert code_error.message == str(credit_code_problem("91460203MA7LLJY1X2"))
    [approximate] = sample.row(8).warnings
    assert "约3000" in approximate.message
    assert sample.row(8).approximate_fields == frozenset({"intended_investment_wan"})
    [duplicate] = sample.row(9).warnings
    assert "北京云帆数科技术有限公司" in duplicate.message and "5" in duplicate.message
    assert sample.row(9).duplicate_of == 5
    assert all(r.duplicate_of is None for r in sample.rows if r.row_number != 9)


@needs_sample
def test_the_sample_splits_into_importable_and_rejected_rows(sample):
    assert [r.row_number for r in sample.valid_rows] == [4, 5, 6, 7, 8, 9, 13]
    assert [r.row_number for r in sample.invalid_rows] == [10, 11]


@needs_sample
def test_without_a_code_check_the_code_is_only_normalised():
    result = read_ledger(SAMPLE, filename=SAMPLE.name)
    assert result.row(11).values["credit_code"] == "91460203MA7LLJY1X2"
    assert result.row(11).ok
    assert [r.row_number for r in result.invalid_rows] == [10]


@needs_sample
@pytest.mark.parametrize("kind", ["path", "str", "bytes", "file"])
def test_the_sample_can_be_given_in_any_form(kind):
    given = {
        "path": SAMPLE,
        "str": str(SAMPLE),
        "bytes": SAMPLE.read_bytes(),
        "file": io.BytesIO(SAMPLE.read_bytes()),
    }[kind]
    result = read_ledger(given, filename="台账.XLSX")
    assert result.ok and len(result.rows) == 9


# --- dates ---------------------------------------------------------------------------------------------------

DATES = [
    (datetime(2025, 1, 8), date(2025, 1, 8)),
    (datetime(2025, 1, 8, 14, 30), date(2025, 1, 8)),
    (date(2025, 1, 8), date(2025, 1, 8)),
    ("2025/3/1", date(2025, 3, 1)),
    ("2025.03.15", date(2025, 3, 15)),
    ("2025年4月2日", date(2025, 4, 2)),
    ("2025年4月2号", date(2025, 4, 2)),
    ("2025年4月2", date(2025, 4, 2)),
    ("2025 年 4 月 2 日", date(2025, 4, 2)),
    ("２０２５年４月２日", date(2025, 4, 2)),
    ("2025-06-30", date(2025, 6, 30)),
    ("2025-6-3", date(2025, 6, 3)),
    ("2025 - 06 - 30", date(2025, 6, 30)),
    ("2025-06-30 00:00:00", date(2025, 6, 30)),
    ("2025-06-30T09:15", date(2025, 6, 30)),
    ("  2025/12/31 ", date(2025, 12, 31)),
    ("20250402", date(2025, 4, 2)),
    (20250402, date(2025, 4, 2)),
    (45658, date(2025, 1, 1)),  # an Excel serial day in a cell formatted as General
    (45658.75, date(2025, 1, 1)),
    ("2024/2/29", date(2024, 2, 29)),
]


@pytest.mark.parametrize(("value", "expected"), DATES, ids=[repr(v) for v, _ in DATES])
def test_dates_written_every_way(value, expected):
    assert parse_date_cell(value) == expected


BAD_DATES = [
    ("2025/13/01", "impossible_date"),
    ("2025-00-10", "impossible_date"),
    ("2025/2/29", "impossible_date"),
    ("2025年4月31日", "impossible_date"),
    ("20251301", "impossible_date"),
    (20251301, "impossible_date"),
    ("0025-01-01", "impossible_date"),
    ("3/1/2025", "invalid_date"),  # day and month are ambiguous
    ("25/3/1", "invalid_date"),
    ("2025年春节后", "invalid_date"),
    ("待定", "invalid_date"),
    ("2025-03", "invalid_date"),
    (True, "invalid_date"),
    (12, "invalid_date"),
    (float("inf"), "invalid_date"),
    ("", "required"),
    ("   ", "required"),
    (None, "required"),
]


@pytest.mark.parametrize(("value", "code"), BAD_DATES, ids=[repr(v) for v, _ in BAD_DATES])
def test_dates_that_cannot_be_read(value, code):
    with pytest.raises(CellError) as caught:
        parse_date_cell(value)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert caught.value.message == str(caught.value)
    if isinstance(value, str) and value.strip():
        assert value.strip() in caught.value.message


# --- amounts -------------------------------------------------------------------------------------------------

AMOUNTS = [
    # value, 万元, approximate
    (120000, "120000", False),
    (120000.0, "120000", False),
    (0.1 + 0.2, "0.3", False),  # a float from Excel, read back to its 15 digits
    (Decimal("2500.5"), "2500.5", False),
    (0, "0", False),
    ("3,000", "3000", False),
    ("5,000", "5000", False),
    ("1,234,567.89", "1234567.89", False),
    ("３，０００", "3000", False),
    ("3000", "3000", False),
    (" 3000 ", "3000", False),
    ("3000万", "3000", False),
    ("3000万元", "3000", False),
    ("1.2亿", "12000", False),
    ("1.2亿元", "12000", False),
    ("2亿", "20000", False),
    ("0.5千万", "500", False),
    ("300百万", "30000", False),
    ("5000000元", "500", False),
    ("约3000", "3000", True),
    ("约 3000", "3000", True),
    ("大约3000万元", "3000", True),
    ("约1.2亿", "12000", True),
    ("3000左右", "3000", True),
    ("3000余万", "3000", True),
    ("3000多万元", "3000", True),
    ("1亿以上", "10000", True),
    ("近5000", "5000", True),
    ("~3000", "3000", True),
    ("≈3000", "3000", True),
]


@pytest.mark.parametrize(("value", "wan", "approximate"), AMOUNTS, ids=[repr(v) for v, _, _ in AMOUNTS])
def test_amounts_as_a_person_reads_them(value, wan, approximate):
    parsed = parse_amount(value)
    assert parsed == ParsedAmount(wan=Decimal(wan), approximate=approximate)
    assert isinstance(parsed.wan, Decimal)
    assert parse_amount_wan(value) == Decimal(wan)


def test_amounts_are_tidy_decimals():
    assert str(parse_amount_wan("1.2亿")) == "12000"
    assert str(parse_amount_wan(120000.0)) == "120000"
    assert str(parse_amount_wan("12345元")) == "1.2345"


BAD_AMOUNTS = [
    ("-3000", "negative_amount"),
    ("－3000", "negative_amount"),
    ("−3000", "negative_amount"),
    (-3000, "negative_amount"),
    (-0.5, "negative_amount"),
    ("负3000", "negative_amount"),
    ("3000-5000", "amount_range"),
    ("3000~5000", "amount_range"),
    ("1亿-2亿", "amount_range"),
    ("3000至5000万元", "amount_range"),
    ("500万美元", "foreign_currency"),
    ("USD 5,000,000", "foreign_currency"),
    ("$500", "foreign_currency"),
    ("200万港元", "foreign_currency"),
    ("3,00", "invalid_amount"),  # not a thousands separator
    ("1,5", "invalid_amount"),
    ("三千万", "invalid_amount"),
    ("待定", "invalid_amount"),
    ("3000万元/年", "invalid_amount"),
    ("1.2.3", "invalid_amount"),
    (True, "invalid_amount"),
    (float("nan"), "required"),  # pandas' blank
    (float("inf"), "invalid_amount"),
    ("", "required"),
    (None, "required"),
]


@pytest.mark.parametrize(("value", "code"), BAD_AMOUNTS, ids=[repr(v) for v, _ in BAD_AMOUNTS])
def test_amounts_that_are_refused(value, code):
    with pytest.raises(CellError) as caught:
        parse_amount(value)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("value", "unit", "wan"),
    [
        (1.5, "亿元", "15000"),
        ("1.5", "亿元", "15000"),
        ("3000万元", "亿元", "3000"),  # a unit in the cell wins over the column's
        (50000, "元", "5"),
        (3000, "万元", "3000"),
    ],
)
def test_a_bare_number_takes_the_unit_of_its_column(value, unit, wan):
    assert parse_amount_wan(value, unit=unit) == Decimal(wan)


def test_a_column_in_foreign_currency_is_refused_and_an_unknown_unit_is_a_bug():
    with pytest.raises(CellError) as caught:
        parse_amount(500, unit="万美元")
    assert caught.value.code == "foreign_currency"
    with pytest.raises(ValueError, match="unknown unit"):
        parse_amount(500, unit="斤")


# --- credit codes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91460203MA7LLJY1X2", "91460203MA7LLJY1X2"),
        (" 91460203ma7llJY1x2 ", "91460203MA7LLJY1X2"),
        ("９１４６０２０３ＭＡ７ＬＬＪＹ１Ｘ２", "91460203MA7LLJY1X2"),
        ("914602-03MA7L LJY1X2", "91460203MA7LLJY1X2"),
        ("", ""),
        (None, ""),
    ],
)
def test_credit_codes_are_normalised_not_checked(value, code):
    assert normalize_credit_code(value) == code


# --- the header ----------------------------------------------------------------------------------------------

TITLE = ["吉阳区2025年招商引资线索台账", None, None]
UNIT = ["填报单位：吉阳区商务和金融发展局    单位：万元", None, None]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([TITLE, UNIT, ["序号", "企业名称", "线索来源"], [1, "某公司", "活动招商"]], 2),
        ([["企业名称", "线索来源"]], 0),
        ([[None], TITLE, [], ["企业名称 ", "线索来源＊"]], 3),
        ([["ENTERPRISE NAME", "Source"]], 0),
        ([["企业名称（单位：万元）", "意向投资额(万元)"]], 0),
        ([TITLE, UNIT, [1, "某公司", "活动招商"]], None),
        ([["企业名称", "其他"]], None),  # one header cell is a title, not a header row
        ([], None),
    ],
)
def test_find_header_row(rows, expected):
    expected_headers = ["企业名称", "线索来源", "意向投资额", "enterprise name", "source"]
    assert find_header_row(rows, expected_headers) == expected


def test_find_header_row_needs_fewer_matches_when_fewer_are_expected():
    assert find_header_row([TITLE, ["企业名称", "x"]], ["企业名称"]) == 1
    assert find_header_row([TITLE, ["企业名称", "x"]], ["企业名称", "线索来源"], min_matches=1) == 1


def test_every_header_and_alias_names_one_column():
    seen = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases):
            key = name.casefold().replace(" ", "")
            assert seen.setdefault(key, column.field) == column.field, name
    assert set(REQUIRED_FIELDS) <= {c.field for c in COLUMNS}


# --- other ledgers -------------------------------------------------------------------------------------------

CSV_ROWS = [
    ["吉阳区招商线索台账", "", "", "", ""],
    ["单位：万元", "", "", "", ""],
    HEADERS,
    ["三亚海棠湾旅游发展有限公司", "91460200MA5T0PQ3XL", "1.2亿", "活动招商", "2025/3/1"],
    ["", "", "", "", ""],
    ["三亚亚龙湾旅游发展有限公司", "", "约3000", "主动对接", "2025年4月2日"],
    ["合计", "", "", "", ""],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("gbk", ","), ("gb18030", ","), ("utf-16", "\t"), ("utf-8", ";")],
)
def test_csv_in_the_encodings_excel_and_wps_write(encoding, delimiter):
    result = read_ledger(_csv(CSV_ROWS, encoding=encoding, delimiter=delimiter), filename="台账.csv")
    assert result.ok, result.file_errors
    assert result.header_row == 3
    assert [r.row_number for r in result.rows] == [4, 6]
    first, second = result.rows
    assert first.values["enterprise_name"] == "三亚海棠湾旅游发展有限公司"
    assert first.values["intended_investment_wan"] == Decimal("12000")
    assert first.values["first_contact_date"] == date(2025, 3, 1)
    assert first.values["credit_code"] == "91460200MA5T0PQ3XL"
    assert second.values["credit_code"] is None
    assert second.approximate_fields == {"intended_investment_wan"}
    assert second.duplicate_of is None  # another bay, another enterprise
    assert [s.reason for s in result.skipped] == ["title", "unit", "header", "blank", "totals"]


def test_csv_with_quoted_cells_holding_commas():
    content = '企业名称,线索来源,意向投资额\r\n"某某(三亚)有限公司",活动招商,"3,000"\r\n'.encode()
    [row] = read_ledger(content, filename="a.csv").rows
    assert row.values["enterprise_name"] == "某某(三亚)有限公司"
    assert row.values["intended_investment_wan"] == Decimal("3000")


def test_english_headers_from_another_system():
    rows = [
        ["Company Name", "Credit Code", "Source", "Intended Investment", "Date", "Phone", "Contact", "Remarks"],
        ["Blue Harbour Investment Pte. Ltd.", "", "inbound", "1,500", "2025-03-01", 13800000000, "Tan", "x"],
    ]
    result = read_ledger(_xlsx(rows), filename="export.xlsx")
    assert result.ok
    [row] = result.rows
    assert row.values == {
        "enterprise_name": "Blue Harbour Investment Pte. Ltd.",
        "credit_code": None,
        "source": "inbound",
        "intended_investment_wan": Decimal("1500"),
        "first_contact_date": date(2025, 3, 1),
        "phone": "13800000000",
        "contact": "Tan",
        "notes": "x",
    }


@pytest.mark.parametrize(
    ("above", "header", "amount", "unit", "wan"),
    [
        (["单位：亿元"], "意向投资额", 1.5, "亿元", "15000"),
        (["单位：亿元"], "意向投资额（万元）", 1.5, "万元", "1.5"),  # the header is closer than the unit line
        (["填报单位：某局"], "意向投资额", 1.5, "万元", "1.5"),  # a reporting unit is not a unit of money
        ([], "意向投资额（元）", 50000, "元", "5"),
        ([], "投资额(亿元)", "2", "亿元", "20000"),
    ],
)
def test_the_unit_of_the_amount_column(above, header, amount, unit, wan):
    rows = [*([above] if above else []), ["企业名称", "线索来源", header], ["某公司", "活动招商", amount]]
    result = read_ledger(_xlsx(rows), filename="a.xlsx")
    assert result.amount_unit == unit
    assert result.rows[0].values["intended_investment_wan"] == Decimal(wan)


def test_a_row_can_have_several_errors():
    rows = [HEADERS, ["", "9146", "-5", "", "2025/2/30"]]
    [row] = read_ledger(_xlsx(rows), filename="a.xlsx").rows
    assert {(e.field, e.code) for e in row.errors} == {
        ("enterprise_name", "required"),
        ("intended_investment_wan", "negative_amount"),
        ("source", "required"),
        ("first_contact_date", "impossible_date"),
    }
    assert row.values["credit_code"] == "9146"
    assert row.errors_for("source")[0].code == "required"


def test_missing_required_columns_are_one_file_error_listing_them():
    rows = [["序号", "项目名称", "意向投资额（万元）"], [1, "某项目", 3000]]
    result = read_ledger(_xlsx(rows), filename="a.xlsx")
    assert not result.ok
    [error] = result.file_errors
    assert error.code == "missing_columns"
    assert "企业名称" in error.message and "线索来源" in error.message
    assert result.rows == ()


def test_the_required_columns_are_the_callers_choice():
    rows = [["企业名称", "项目名称"], ["某公司", "某项目"]]
    assert read_ledger(_xlsx(rows), filename="a.xlsx").file_errors[0].code == "missing_columns"
    result = read_ledger(_xlsx(rows), filename="a.xlsx", required_fields=["enterprise_name"])
    assert result.ok and result.rows[0].ok


def test_two_columns_for_one_field_are_a_file_error():
    rows = [["企业名称", "线索来源", "联系人", "企业联系人"], ["某公司", "活动招商", "张三", "李四"]]
    [error] = read_ledger(_xlsx(rows), filename="a.xlsx").file_errors
    assert error.code == "duplicate_column" and error.field == "contact"
    assert "联系人" in error.message and "企业联系人" in error.message


def test_unknown_columns_are_ignored_and_listed():
    rows = [["企业名称", "线索来源", "领导批示", "所在楼层"], ["某公司", "活动招商", "抓紧", 3]]
    result = read_ledger(_xlsx(rows), filename="a.xlsx")
    assert result.ignored_columns == ("领导批示", "所在楼层")
    assert set(result.rows[0].values) == {"enterprise_name", "source"}


def test_a_file_without_a_header_row():
    result = read_ledger(_xlsx([["今年的线索"], ["某公司", "活动招商"]]), filename="a.xlsx")
    assert [e.code for e in result.file_errors] == ["no_header"]


def test_the_header_is_looked_for_on_every_visible_sheet():
    workbook = openpyxl.Workbook()
    workbook.active.title = "封面"
    workbook.active.append(["吉阳区招商引资线索台账"])
    hidden = workbook.create_sheet("旧表")
    hidden.append(HEADERS)
    hidden.append(["旧公司", "", 1, "活动招商", "2020-01-01"])
    hidden.sheet_state = "hidden"
    data = workbook.create_sheet("明细")
    data.append(HEADERS)
    data.append(["新公司", "", 2, "活动招商", "2025-01-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_ledger(buffer.getvalue(), filename="a.xlsx")
    assert result.sheet_name == "明细"
    assert [r.values["enterprise_name"] for r in result.rows] == ["新公司"]


@pytest.mark.parametrize(
    ("filename", "content", "code"),
    [
        ("台账.xls", b"\xd0\xcf\x11\xe0", "old_excel"),
        ("台账.txt", b"abc", "unsupported_type"),
        ("台账", b"abc", "unsupported_type"),
        ("台账.xlsx", b"not a zip file", "unreadable"),
        ("台账.xlsx", b"", "unreadable"),
        ("台账.csv", b"\xff\x00\xff\xff", "encoding"),
        ("台账.csv", b"", "no_header"),
    ],
)
def test_files_that_cannot_be_read(filename, content, code):
    result = read_ledger(content, filename=filename)
    assert [e.code for e in result.file_errors] == [code]
    assert result.rows == ()
    assert result.file_errors[0].message


def test_merged_cells_are_read_on_every_row_they_span():
    rows = [
        ["企业名称", "线索来源", "对接人"],
        ["甲公司", "活动招商", "王晓明"],
        ["乙公司", None, None],
        ["丙公司", "主动对接", "李娜"],
    ]
    result = read_ledger(_xlsx(rows, merges=["B2:B3", "C2:C3"]), filename="a.xlsx")
    assert [(r.values["source"], r.values["owner"]) for r in result.rows] == [
        ("活动招商", "王晓明"),
        ("活动招商", "王晓明"),
        ("主动对接", "李娜"),
    ]


def test_totals_footers_and_repeated_headers_are_skipped():
    rows = [
        ["序号", *HEADERS],
        [1, "甲公司", "", 100, "活动招商", "2025-01-02"],
        ["序号", *HEADERS],  # printed on every page
        [2, "乙公司", "", 200, "主动对接", "2025-01-03"],
        ["合 计", None, None, "=SUM(D2:D4)", None, None],
        ["填表人：王晓明", None, None, None, None, None],
        [None, None, None, "审核人：李娜", None, None],
    ]
    result = read_ledger(_xlsx(rows), filename="a.xlsx")
    assert [r.values["enterprise_name"] for r in result.rows] == ["甲公司", "乙公司"]
    assert [(s.row_number, s.reason) for s in result.skipped] == [
        (1, "header"),
        (3, "header"),
        (5, "totals"),
        (6, "footer"),
        (7, "footer"),
    ]


def test_a_totals_row_is_found_by_its_formula_alone():
    rows = [HEADERS, ["甲公司", "", 100, "活动招商", "2025-01-02"], [None, None, "=SUM(C2:C2)", None, None]]
    result = read_ledger(_xlsx(rows), filename="a.xlsx")
    assert [s.reason for s in result.skipped] == ["header", "totals"]


def test_a_formula_never_calculated_in_a_data_row_is_an_error():
    # openpyxl writes formulas without their values, as a file never opened in Excel has them.
    rows = [HEADERS, ["甲公司", "", "=1000*2", "活动招商", "2025-01-02"]]
    [row] = read_ledger(_xlsx(rows), filename="a.xlsx").rows
    assert [(e.field, e.code) for e in row.errors] == [("intended_investment_wan", "formula_without_value")]


def test_duplicates_inside_the_file_by_code_and_by_name():
    rows = [
        HEADERS,
        ["三亚海棠湾旅游发展有限公司", "91460200MA5T0PQ3XL", 1, "活动招商", ""],
        ["海棠湾旅游（三亚）有限公司", "91460200MA5T0PQ3XL", 2, "活动招商", ""],  # same code, other name
        ["三亚 海棠湾旅游发展（集团）有限公司", "", 3, "活动招商", ""],
        ["三亚亚龙湾旅游发展有限公司", "", 4, "活动招商", ""],
    ]
    result = read_ledger(_xlsx(rows), filename="a.xlsx")
    assert [r.duplicate_of for r in result.rows] == [None, 2, 2, None]
    assert [[w.code for w in r.warnings] for r in result.rows] == [
        [],
        ["possible_duplicate"],
        ["possible_duplicate"],
        [],
    ]
    assert all(r.ok for r in result.rows)  # a person decides; the reader only warns


def test_numbers_in_text_columns_read_as_typed():
    rows = [["企业名称", "线索来源", "联系电话", "备注"], [12345, "活动招商", 89881234.0, 0.5]]
    [row] = read_ledger(_xlsx(rows), filename="a.xlsx").rows
    assert row.values["enterprise_name"] == "12345"
    assert row.values["phone"] == "89881234"
    assert row.values["notes"] == "0.5"


def test_line_breaks_inside_cells():
    rows = [
        ["企业名称", "线索来源", "备注"],
        ["北京云帆数科技术\n有限公司", "活动招商", "第一次：来访\n第二次：回访 "],
        ["Blue Harbour\r\nInvestment  Pte. Ltd.", "活动招商", None],
    ]
    first, second = read_ledger(_xlsx(rows), filename="a.xlsx").rows
    assert first.values["enterprise_name"] == "北京云帆数科技术有限公司"
    assert first.values["notes"] == "第一次：来访\n第二次：回访"
    assert second.values["enterprise_name"] == "Blue Harbour Investment Pte. Ltd."


# --- the template --------------------------------------------------------------------------------------------


def test_the_template_has_the_chinese_headers_and_one_example_row(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["线索台账"]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in COLUMNS if c.in_template]
    assert headers[:2] == ["企业名称", "统一社会信用代码"]
    assert "序号" not in headers
    assert sheet.max_row == 2
    assert sheet["A2"].value.startswith("（示例）")
    assert "填写说明" in workbook.sheetnames


def test_the_template_reads_back_with_its_example_skipped():
    buffer = io.BytesIO()
    write_template(buffer)
    result = read_ledger(buffer.getvalue(), filename="线索导入模板.xlsx", credit_code_problem=credit_code_problem)
    assert result.ok
    assert result.rows == ()
    assert [(s.row_number, s.reason) for s in result.skipped] == [(1, "header"), (2, "example")]
    assert set(result.columns) == {c.field for c in COLUMNS if c.in_template}


def test_a_filled_in_template_imports_cleanly():
    buffer = io.BytesIO()
    write_template(buffer)
    workbook = openpyxl.load_workbook(buffer)
    sheet = workbook.active
    sheet["A2"] = "三亚椰风数字科技有限公司"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_ledger(buffer, filename="filled.xlsx", credit_code_problem=credit_code_problem)
    [row] = result.rows
    assert row == LedgerRow(
        row_number=2,
        values={
            "enterprise_name": "三亚椰风数字科技有限公司",
            "credit_code": "91460202MA5T12345E",
            "project_name": "椰风数字产业园",
            "industry": "信息传输、软件和信息技术服务业",
            "origin": "广东深圳",
            "intended_investment_wan": Decimal("5000"),
            "source": "活动招商",
            "introducer": None,
            "owner": "王晓明",
            "first_contact_date": date(2025, 3, 1),
            "contact": "张三",
            "phone": "0898-88888888",
            "progress": "洽谈中",
            "notes": "示例行，导入时自动忽略，可删除",
        },
    )
