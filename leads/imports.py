"""Importing a lead ledger (.xlsx or .csv): a dry run that says row by row what would be created, updated or
rejected, then the import itself, each row in its own transaction so nothing from a rejected row is written.

Matching makes a repeated import harmless: an enterprise is found by its credit code, else by its exact name,
else by a name that normalises to the same key (not a branch of it); a lead is found by its enterprise and
title. Reading the file (dates written five ways, 1.2亿, totals rows) is leads.ledger's job.
"""

import os
import re
import secrets
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.access import working_people
from crm.choices import EnterpriseKind
from crm.lib.names import is_branch_name, normalize_enterprise_name
from crm.lib.sheets import SheetLimits
from crm.lib.uploads import validate_upload
from crm.models import Enterprise, Industry, User, VerifiedCreditCode
from crm.services import enterprise_create
from crm.validators import credit_code_problem, validate_event_date
from leads import services
from leads.choices import ImportAction, ImportStatus, IntroducerKind, LeadSource, LeadStatus
from leads.ledger import Issue, LedgerRow, read_ledger
from leads.models import Introducer, Lead, LeadImport

# How often the progress bar moves (rows).
PROGRESS_EVERY = 25

IMPORT_EXTENSIONS = (".xlsx", ".csv")

SOURCE_WORDS = {
    "活动招商": LeadSource.EVENT, "活动": LeadSource.EVENT, "展会招商": LeadSource.EVENT,
    "中介招商": LeadSource.INTERMEDIARY, "中介": LeadSource.INTERMEDIARY, "委托招商": LeadSource.INTERMEDIARY,
    "以商招商": LeadSource.REFERRAL, "企业引荐": LeadSource.REFERRAL,
    "上级交办": LeadSource.ASSIGNED, "交办": LeadSource.ASSIGNED,
    "主动对接": LeadSource.PROSPECTING, "主动招商": LeadSource.PROSPECTING, "自主对接": LeadSource.PROSPECTING,
    "来电来访": LeadSource.INBOUND, "来访": LeadSource.INBOUND, "来电": LeadSource.INBOUND,
    **{s.value: s for s in LeadSource},
}

# Words in the progress column that mean the lead is shelved or was judged invalid.
SHELVED_WORDS = ("搁置", "暂缓", "暂停")
INVALID_WORDS = ("无效", "放弃", "终止", "不再跟进")
# Progress a lead cannot record by itself: it needs its project.
PROJECT_WORDS = ("签约", "落地", "注册", "开工", "投产", "会商")

HMT_WORDS = {"香港": "中国香港", "澳门": "中国澳门", "台湾": "中国台湾"}
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "内蒙古", "广西",
    "西藏", "宁夏", "新疆", "深圳", "厦门", "三亚", "海口",
)


@dataclass
class RowPlan:
    """What the import does with one data row, as the dry run shows it and the result page keeps it."""

    row: int
    action: str
    enterprise: str = ""
    title: str = ""
    enterprise_action: str = ""  # create | match | fill_code
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lead_id: int | None = None
    enterprise_id: int | None = None


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _code_problem(code: str) -> str | None:
    problem = credit_code_problem(code)
    if problem and VerifiedCreditCode.objects.filter(code=code).exists():
        return None
    return str(problem) if problem else None


class _Register:
    """What the import matches against, loaded once per run and kept current as rows are written."""

    def __init__(self):
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.codes: dict[int, str] = {}
        for pk, name, code in Enterprise.objects.values_list("pk", "name", "credit_code").order_by("pk"):
            self.add_enterprise(pk, name, code)
        self.leads: dict[tuple[int, str], int] = {
            (enterprise_id, _clean_name(title)): pk
            for pk, enterprise_id, title in Lead.objects.values_list("pk", "enterprise_id", "title").order_by("pk")
        }
        self.industries: dict[str, Industry] = {}
        for industry in Industry.objects.all():
            for word in (industry.code, industry.name, industry.name_en):
                if word:
                    self.industries[_clean_name(word).casefold()] = industry
        self.users: dict[str, User] = {}
        for user in working_people():
            for word in (user.username, user.full_name):
                if word:
                    self.users.setdefault(_clean_name(word), user)

    def add_enterprise(self, pk: int, name: str, code: str | None) -> None:
        if code:
            self.by_code.setdefault(code, pk)
        self.codes[pk] = code or ""
        self.by_name.setdefault(_clean_name(name), pk)
        if not is_branch_name(name):
            self.by_key.setdefault(normalize_enterprise_name(name), pk)


def _origin(text: str) -> dict:
    """Enterprise kind and origin from a ledger's free-text origin ("广东深圳", "新加坡", "中国香港")."""
    text = (text or "").strip()
    if not text:
        return {}
    for word, region in HMT_WORDS.items():
        if word in text:
            return {"kind": EnterpriseKind.HMT, "origin_country": region}
    if text.startswith(PROVINCES) or text.startswith("中国"):
        return {"kind": EnterpriseKind.DOMESTIC, "origin_province": text[:30]}
    return {"kind": EnterpriseKind.FOREIGN, "origin_country": text[:60]}


def _plan_row(row: LedgerRow, register: _Register, importer: User) -> tuple[RowPlan, dict]:
    """Decide what a row would do, without writing; returns the plan and the values to write."""
    values = row.values
    name = (values.get("enterprise_name") or "").strip()
    title = (values.get("project_name") or "").strip() or name
    plan = RowPlan(row=row.row_number, action=ImportAction.CREATE, enterprise=name, title=title)
    plan.errors = [issue.message for issue in row.errors]
    plan.warnings = [issue.message for issue in row.warnings]
    data: dict[str, Any] = {}

    source_text = _clean_name(values.get("source") or "")
    source = SOURCE_WORDS.get(source_text)
    if source_text and source is None:
        plan.errors.append(_("“%(value)s” is not a lead source; use one of %(choices)s.") % {
            "value": values.get("source"), "choices": "、".join(k for k in SOURCE_WORDS if not k.isascii())[:80]})
    data["source"] = source

    industry = None
    if values.get("industry"):
        industry = register.industries.get(_clean_name(values["industry"]).casefold())
        if industry is None:
            plan.errors.append(_("“%(value)s” is not an industry of GB/T 4754-2017; write a section name such as "
                                 "“租赁和商务服务业” or its letter.") % {"value": values["industry"]})
    data["industry"] = industry

    owner_text = _clean_name(values.get("owner") or "")
    owner = register.users.get(owner_text) if owner_text else None
    if owner_text and owner is None:
        plan.warnings.append(_("“%(name)s” is not a user of the system; the lead is given to you.") % {
            "name": values.get("owner")})
    data["owner"] = owner or importer

    code = values.get("credit_code") or ""
    enterprise_id = register.by_code.get(code) if code else None
    if enterprise_id is not None:
        plan.enterprise_action = "match"
    else:
        enterprise_id = register.by_name.get(_clean_name(name))
        if enterprise_id is None and not is_branch_name(name):
            enterprise_id = register.by_key.get(normalize_enterprise_name(name))
            if enterprise_id is not None:
                plan.warnings.append(_("Taken as the enterprise already registered under a similar name."))
        if enterprise_id is None:
            plan.enterprise_action = "create"
        elif code and register.codes.get(enterprise_id):
            plan.errors.append(_("The register holds this enterprise with another credit code (%(code)s).") % {
                "code": register.codes[enterprise_id]})
        else:
            plan.enterprise_action = "fill_code" if code else "match"
    plan.enterprise_id = enterprise_id
    data["enterprise_fields"] = {"name": name, "credit_code": code or None, "industry": industry,
                                 **_origin(values.get("origin") or "")}

    progress = (values.get("progress") or "").strip()
    if any(word in progress for word in PROJECT_WORDS):
        plan.warnings.append(_("Progress “%(value)s” belongs to a project: convert the lead into a project to "
                               "record it.") % {"value": progress})
    data.update(title=title, progress=progress, notes=(values.get("notes") or "").strip(),
                intended_investment_wan=values.get("intended_investment_wan"),
                received_on=values.get("first_contact_date"), introducer=(values.get("introducer") or "").strip(),
                contact=(values.get("contact") or "").strip(), phone=(values.get("phone") or "").strip())
    if data["received_on"] and data["received_on"] > timezone.localdate():
        plan.errors.append(_("The first contact date %(date)s is in the future.") % {"date": data["received_on"]})
    elif data["received_on"]:
        try:  # the same sane-date rule the lead itself keeps, so the dry run says what the import will do
            validate_event_date(data["received_on"])
        except ValidationError as exc:
            plan.errors.extend(exc.messages)

    if plan.errors:
        plan.action = ImportAction.REJECT
        return plan, data
    lead_id = register.leads.get((enterprise_id, _clean_name(title))) if enterprise_id else None
    plan.lead_id = lead_id
    if lead_id is None:
        plan.action = ImportAction.CREATE
    elif lead_id < 0:
        # Only in the dry run: an earlier row of this file creates the lead; this row will update it.
        plan.lead_id = None
        plan.action = ImportAction.UPDATE
        plan.warnings.append(_("The same lead as row %(row)d; this row updates it.") % {"row": -lead_id})
    else:
        lead = Lead.objects.select_related("introducer").get(pk=lead_id)
        plan.action = ImportAction.UPDATE if _lead_changes(lead, data) or plan.enterprise_action == "fill_code" \
            else ImportAction.UNCHANGED
    return plan, data


def _lead_changes(lead: Lead, data: dict) -> dict:
    """The fields of an existing lead the row would change."""
    wanted = {"source": data["source"], "intended_investment_wan": data["intended_investment_wan"]}
    if data["industry"] is not None:
        wanted["industry"] = data["industry"]
    changes = {}
    for name, value in wanted.items():
        if value is not None and getattr(lead, name) != value:
            changes[name] = value
    if data["introducer"] and (lead.introducer is None or lead.introducer.name != data["introducer"]):
        changes["introducer"] = data["introducer"]
    return changes


def _introducer(name: str, by: User) -> Introducer:
    introducer = Introducer.objects.filter(name=name).order_by("pk").first()
    if introducer is None:
        kind = IntroducerKind.ORGANISATION if re.search(r"公司|机构|协会|商会|中心|事务所|集团", name) \
            else IntroducerKind.PERSON
        introducer = services.introducer_create(by=by, name=name, kind=kind)
    return introducer


@transaction.atomic
def _write_row(plan: RowPlan, data: dict, by: User, filename: str) -> tuple[Enterprise, Lead]:
    """Write one planned row; any error rolls back everything of this row."""
    if plan.enterprise_action == "create":
        enterprise = enterprise_create(by=by, **{k: v for k, v in data["enterprise_fields"].items() if v})
    else:
        enterprise = Enterprise.objects.select_for_update().get(pk=plan.enterprise_id)
        if plan.enterprise_action == "fill_code":
            enterprise.credit_code = data["enterprise_fields"]["credit_code"]
            enterprise.full_clean()
            enterprise.version += 1
            enterprise._history_user = by
            enterprise.save()
    if data["contact"]:
        services.contact_find_or_create(enterprise=enterprise, name=data["contact"], phone=data["phone"])
    if plan.action == ImportAction.CREATE:
        lead = services.lead_create(
            by=by, enterprise=enterprise, title=data["title"], source=data["source"], owner=data["owner"],
            introducer=_introducer(data["introducer"], by) if data["introducer"] else None,
            intended_investment_wan=data["intended_investment_wan"], industry=data["industry"],
            received_on=data["received_on"], notes=data["notes"], check_duplicates=False,
        )
        _apply_progress(lead, data["progress"], data["notes"], by, filename)
    else:
        lead = Lead.objects.select_related("introducer").get(pk=plan.lead_id)
        changes = _lead_changes(lead, data)
        if "introducer" in changes:
            changes["introducer"] = _introducer(changes["introducer"], by)
        if changes:
            lead = services.lead_update(lead=lead, by=by, version=lead.version, **changes)
    return enterprise, lead


def _apply_progress(lead: Lead, progress: str, notes: str, by: User, filename: str) -> None:
    """A ledger's progress column is the lead's assessment so far; shelved or invalid progress sets the status."""
    if not progress:
        return
    lead = services.lead_record_assessment(
        lead=lead, by=by, assessment=_("%(progress)s (imported from %(file)s)") % {"progress": progress,
                                                                                   "file": filename})
    reason = "；".join(filter(None, [progress, notes]))
    if any(word in progress for word in INVALID_WORDS):
        services.lead_set_status(lead=lead, to=LeadStatus.INVALID, by=by, reason=reason)
    elif any(word in progress for word in SHELVED_WORDS):
        services.lead_set_status(lead=lead, to=LeadStatus.SHELVED, by=by, reason=reason)


# --- the job ---------------------------------------------------------------------------------------------


def import_start(*, by: User, upload) -> LeadImport:
    """Keep an uploaded ledger under MEDIA_ROOT and queue its dry run (leads.tasks.analyse_lead_import)."""
    extension = os.path.splitext(upload.name)[1].lower()
    if extension not in IMPORT_EXTENSIONS:
        raise ValidationError({"file": _("Upload the ledger as an Excel workbook (.xlsx) or a CSV file.")})
    validate_upload(upload)
    job = LeadImport(original_name=os.path.basename(upload.name)[:200], token=secrets.token_hex(16),
                     extension=extension, created_by=by)
    job.file.save(upload.name, upload, save=False)
    job.save()
    from leads.tasks import analyse_lead_import  # tasks import this module

    transaction.on_commit(lambda: analyse_lead_import.delay(job.pk))
    return job


def _read(job: LeadImport):
    with job.file.open("rb") as handle:
        return read_ledger(handle.read(), filename=job.original_name, credit_code_problem=_code_problem,
                           limits=SheetLimits.from_settings(settings))


# The rows as the dry run read them, kept on the job so the import never parses the file a second time (a
# workbook is read once: its limits are checked once, and what the officer saw is what is imported).
def _cell_to_json(value):
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _cell_from_json(value):
    if isinstance(value, dict):
        if "decimal" in value:
            return Decimal(value["decimal"])
        return datetime.fromisoformat(value["datetime"]) if "datetime" in value else date.fromisoformat(value["date"])
    return value


def _rows_to_json(rows: list[LedgerRow]) -> list[dict]:
    return [{"row_number": r.row_number, "values": {k: _cell_to_json(v) for k, v in r.values.items()},
             "errors": [asdict(i) for i in r.errors], "warnings": [asdict(i) for i in r.warnings],
             "duplicate_of": r.duplicate_of} for r in rows]


def _rows_from_json(data: list[dict]) -> list[LedgerRow]:
    return [LedgerRow(row_number=r["row_number"], values={k: _cell_from_json(v) for k, v in r["values"].items()},
                      errors=tuple(Issue(**i) for i in r["errors"]), warnings=tuple(Issue(**i) for i in r["warnings"]),
                      duplicate_of=r["duplicate_of"]) for r in data]


def _progress(job: LeadImport, processed: int) -> None:
    LeadImport.objects.filter(pk=job.pk).update(processed_rows=processed)


def _summary(plans: list[RowPlan]) -> dict:
    counts = {a.value: 0 for a in ImportAction}
    for plan in plans:
        counts[plan.action] += 1
    return counts


def import_analyse(*, job: LeadImport) -> LeadImport:
    """The dry run: read the file and plan every row against the register, writing nothing but the plan."""
    result = _read(job)
    if not result.ok:
        job.status = ImportStatus.FAILED
        job.preview = {"file_errors": [issue.message for issue in result.file_errors]}
        job.finished_at = timezone.now()
        job.save()
        return job
    LeadImport.objects.filter(pk=job.pk).update(total_rows=len(result.rows), processed_rows=0)
    register = _Register()
    plans = []
    for index, row in enumerate(result.rows, start=1):
        plan, data = _plan_row(row, register, job.created_by)
        if plan.action == ImportAction.CREATE:
            # Later rows naming the same new enterprise or lead join it, as the import will make them do;
            # a negative number stands for a record not written yet.
            enterprise_id = plan.enterprise_id or -row.row_number
            if plan.enterprise_action == "create":
                register.add_enterprise(enterprise_id, plan.enterprise, data["enterprise_fields"]["credit_code"])
            register.leads[(enterprise_id, _clean_name(plan.title))] = -row.row_number
        plans.append(plan)
        if index % PROGRESS_EVERY == 0:
            _progress(job, index)
    job.refresh_from_db()
    job.status = ImportStatus.PREVIEW
    job.processed_rows = job.total_rows
    job.preview = {"rows": [asdict(p) for p in plans], "counts": _summary(plans),
                   "skipped": len(result.skipped), "columns": list(result.columns.values()),
                   "ignored_columns": list(result.ignored_columns), "read": _rows_to_json(result.rows)}
    job.save()
    return job


def import_confirm(*, job: LeadImport, by: User) -> LeadImport:
    """Start the import the dry run showed (leads.tasks.apply_lead_import)."""
    updated = LeadImport.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.IMPORTING, processed_rows=0)
    if not updated:
        raise ValidationError(_("This import has already been started."), code="already_started")
    from leads.tasks import apply_lead_import

    transaction.on_commit(lambda: apply_lead_import.delay(job.pk))
    job.refresh_from_db()
    return job


def import_apply(*, job: LeadImport) -> LeadImport:
    """Import every row that is still valid now, each in its own transaction; record what each row did."""
    if job.status != ImportStatus.IMPORTING:
        return job
    rows = _rows_from_json(job.preview["read"])
    register = _Register()
    plans = []
    for index, row in enumerate(rows, start=1):
        plan, data = _plan_row(row, register, job.created_by)
        if plan.action in (ImportAction.CREATE, ImportAction.UPDATE):
            try:
                enterprise, lead = _write_row(plan, data, job.created_by, job.original_name)
            except ValidationError as exc:
                plan.action = ImportAction.REJECT
                plan.errors.extend(exc.messages)
            else:
                # Only now, with the row committed, may later rows match what it wrote.
                register.add_enterprise(enterprise.pk, enterprise.name, enterprise.credit_code)
                register.leads[(enterprise.pk, _clean_name(lead.title))] = lead.pk
                plan.enterprise_id, plan.lead_id = enterprise.pk, lead.pk
        plans.append(plan)
        if index % PROGRESS_EVERY == 0:
            _progress(job, index)
    job.refresh_from_db()
    job.status = ImportStatus.DONE
    job.total_rows = job.processed_rows = len(rows)
    job.result = {"rows": [asdict(p) for p in plans], "counts": _summary(plans), "skipped": job.preview["skipped"]}
    job.finished_at = timezone.now()
    job.save()
    return job
