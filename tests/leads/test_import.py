"""Importing lead ledgers: a dry run row by row, nothing from a rejected row written, no duplicates on re-import."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from crm.models import Contact, Enterprise
from leads.choices import ImportAction, ImportStatus, LeadSource, LeadStatus
from leads.imports import import_confirm, import_start
from leads.models import Introducer, Lead, LeadImport

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = next(p for p in (Path("/work/shared/samples/lead-ledger-2025.xlsx"), ROOT / "tests/data/lead-ledger-2025.xlsx")
              if p.exists())


def _upload(officer, content: bytes, name: str) -> LeadImport:
    # The dry run is queued on commit and, without a broker, runs eagerly right then.
    with TestCase.captureOnCommitCallbacks(execute=True) as queued:
        job = import_start(by=officer, upload=SimpleUploadedFile(name, content))
    assert len(queued) == 1
    job.refresh_from_db()
    return job


def _run(officer, content: bytes, name: str) -> LeadImport:
    job = _upload(officer, content, name)
    assert job.status == ImportStatus.PREVIEW, job.preview
    with TestCase.captureOnCommitCallbacks(execute=True):
        import_confirm(job=job, by=officer)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    return job


def _by_row(report: dict) -> dict:
    return {r["row"]: r for r in report["rows"]}


@pytest.fixture
def sample():
    return SAMPLE.read_bytes()


@pytest.mark.django_db
def test_the_dry_run_of_the_2025_ledger_says_what_each_row_would_do_and_writes_nothing(officer, sample):
    job = _upload(officer, sample, "lead-ledger-2025.xlsx")
    rows = _by_row(job.preview)
    assert job.preview["counts"] == {"create": 7, "update": 0, "unchanged": 0, "reject": 2}
    assert rows[10]["action"] == ImportAction.REJECT and "2025/13/01" in rows[10]["errors"][0]
    assert rows[11]["action"] == ImportAction.REJECT and "校验位" in rows[11]["errors"][0]
    assert any("分公司" in w or "分支" in w or "row 5" in w or "第5行" in w for w in rows[9]["warnings"])
    assert any("估算" in w or "约3000" in w for w in rows[8]["warnings"])
    assert job.preview["skipped"] == 5  # title, unit, header, blank and totals rows
    assert not Lead.objects.exists() and not Enterprise.objects.exists()


@pytest.mark.django_db
def test_importing_the_2025_ledger_takes_what_is_clear_and_a_second_import_changes_nothing(officer, sample):
    job = _run(officer, sample, "lead-ledger-2025.xlsx")
    assert job.result["counts"]["create"] == 7 and job.result["counts"]["reject"] == 2
    assert Lead.objects.count() == 7
    # Nothing of the rejected rows was written: neither their enterprise nor their lead.
    assert not Enterprise.objects.filter(name__in=["北京米立方智能科技有限公司", "海南南繁种业研究院有限公司"]).exists()
    big = Lead.objects.get(enterprise__name="深圳椰海文旅集团有限公司")
    assert big.intended_investment_wan == Decimal("120000") and big.source == LeadSource.INTERMEDIARY
    assert big.owner.full_name == "王晓明" and big.received_on.isoformat() == "2025-01-08"
    assert big.industry.code == "H" and big.introducer.name == "三亚某商务咨询有限公司"
    assert Introducer.objects.count() == 2
    shelved = Lead.objects.get(enterprise__name="深圳市星河医疗器械有限公司")
    assert shelved.status == LeadStatus.SHELVED and "等待用地" in shelved.status_reason
    assert shelved.owner == officer  # 赵敏 is not a user: the importer keeps the lead
    assert Enterprise.objects.get(name="新加坡蓝港投资控股有限公司").kind == "foreign"
    assert Enterprise.objects.get(name="三亚湾邮轮服务有限公司").origin_country == "中国香港"

    again = _run(officer, sample, "lead-ledger-2025.xlsx")
    assert again.result["counts"] == {"create": 0, "update": 0, "unchanged": 7, "reject": 2}
    assert Lead.objects.count() == 7 and Enterprise.objects.count() == 7


@pytest.mark.django_db
def test_the_import_uses_the_rows_the_dry_run_read_and_never_parses_the_file_again(officer, sample):
    """A workbook is read once: what the officer saw in the dry run is what is imported, even if the stored file
    were changed or unreadable by the time the import is confirmed."""
    job = _upload(officer, sample, "lead-ledger-2025.xlsx")
    with job.file.open("wb") as handle:
        handle.write(b"not a workbook any more")
    with TestCase.captureOnCommitCallbacks(execute=True):
        import_confirm(job=job, by=officer)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.result["counts"]["create"] == 7 and job.result["counts"]["reject"] == 2
    big = Lead.objects.get(enterprise__name="深圳椰海文旅集团有限公司")
    assert big.intended_investment_wan == Decimal("120000") and big.received_on.isoformat() == "2025-01-08"


CSV_HEADER = "企业名称,统一社会信用代码,项目名称,所属行业,意向投资额（万元）,线索来源,联系人,联系电话\n"


@pytest.mark.django_db
def test_a_csv_with_bad_rows_reports_each_reason_and_imports_the_rest(officer):
    content = (CSV_HEADER
               + "三亚好客旅游有限公司,,海景民宿,住宿和餐饮业,800,来电来访,林先生,13900000000\n"
               + "三亚负数有限公司,,测试,住宿和餐饮业,-50,来电来访,,\n"
               + "三亚行业有限公司,,测试,宇宙开发业,100,来电来访,,\n"
               + "三亚来源有限公司,,测试,住宿和餐饮业,100,路上捡到,,\n"
               + "三亚错码有限公司,91460200MA5T00000X,测试,住宿和餐饮业,100,来电来访,,\n").encode("utf-8-sig")
    job = _run(officer, content, "台账.csv")
    rows = _by_row(job.result)
    assert [rows[n]["action"] for n in (2, 3, 4, 5, 6)] == ["create", "reject", "reject", "reject", "reject"]
    assert "负数" in rows[3]["errors"][0] or "negative" in rows[3]["errors"][0]
    assert "宇宙开发业" in rows[4]["errors"][0]
    assert "路上捡到" in rows[5]["errors"][0]
    assert Lead.objects.count() == 1 and Enterprise.objects.count() == 1
    assert Contact.objects.get().name == "林先生"

@pytest.mark.django_db
def test_an_impossible_first_contact_date_is_rejected_in_the_dry_run_already(officer):
    content = (CSV_HEADER.replace("联系电话\n", "联系电话,首次接洽日期\n")
               + "三亚古早有限公司,,测试,住宿和餐饮业,100,来电来访,,,1950-06-01\n"
               + "三亚当下有限公司,,测试,住宿和餐饮业,100,来电来访,,,2026-11-02\n").encode("utf-8-sig")
    job = _upload(officer, content, "台账.csv")
    rows = _by_row(job.preview)
    assert [rows[2]["action"], rows[3]["action"]] == ["reject", "create"]
    assert "1990" in rows[2]["errors"][0]


@pytest.mark.django_db
def test_a_file_without_the_required_columns_is_refused_as_a_whole(officer):
    job = _upload(officer, "名称,金额\n某公司,100\n".encode(), "台账.csv")
    assert job.status == ImportStatus.FAILED
    assert job.preview["file_errors"]
    assert not Lead.objects.exists()


@pytest.mark.django_db
def test_an_executable_or_another_type_is_not_accepted(officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        import_start(by=officer, upload=SimpleUploadedFile("ledger.exe", b"MZ\x90\x00"))
    with pytest.raises(ValidationError):
        import_start(by=officer, upload=SimpleUploadedFile("ledger.xlsx", b"MZ\x90\x00"))


@pytest.mark.django_db
def test_an_existing_enterprise_is_matched_by_its_name_despite_its_legal_form(officer):
    from tests.factories import EnterpriseFactory

    existing = EnterpriseFactory(name="三亚好客旅游有限责任公司", credit_code=None)
    content = (CSV_HEADER + "三亚好客旅游有限公司,,海景民宿,,800,来电来访,,\n").encode()
    job = _run(officer, content, "台账.csv")
    assert Lead.objects.get().enterprise == existing
    assert job.result["rows"][0]["warnings"]


@pytest.mark.django_db
def test_a_big_ledger_reports_its_progress_and_its_result_page_can_be_opened_again(officer, login):
    rows = [f"三亚批量企业{n:04d}有限公司,,项目{n},租赁和商务服务业,{n},主动对接,,\n" for n in range(60)]
    job = _run(officer, (CSV_HEADER + "".join(rows)).encode(), "big.csv")
    assert job.total_rows == job.processed_rows == 60 and job.percent == 100
    assert job.result["counts"]["create"] == 60 and Lead.objects.count() == 60
    client = login(officer)
    progress = client.get(reverse("leads:import_progress", args=[job.pk]))
    assert progress["HX-Refresh"] == "true"  # finished: the page reloads to show the result
    page = client.get(job.get_absolute_url()).content.decode()
    assert "已导入" in page and "三亚批量企业0059有限公司" in page
