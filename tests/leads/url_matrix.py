"""Permission cases for every named URL of the leads app (see tests/url_matrix.py).

The story: `officer` owns the leads, meetings and follow-ups made here, `other_officer` sees them but may not
change them (403), the leader changes everything, the administrator only looks, a partner reviewer learns
nothing (404).
"""

import io

from crm.lib.exports import write_xlsx
from leads.choices import ImportStatus
from leads.models import LeadImport, MeetingAttachment
from tests.factories import EnterpriseFactory
from tests.leads.factories import FollowUpFactory, LeadFactory, MeetingLogFactory, PromotionEventFactory
from tests.url_matrix import UrlCase, staff_only


def _lead(p):
    return {"pk": LeadFactory(owner=p["officer"]).pk}


def _lead_fk(p):
    return {"lead_pk": LeadFactory(owner=p["officer"]).pk}


def _enterprise_fk(p):
    return {"enterprise_pk": EnterpriseFactory().pk}


def _meeting(p):
    return {"pk": MeetingLogFactory(lead=LeadFactory(owner=p["officer"]), created_by=p["officer"]).pk}


def _attachment(p):
    from django.core.files.base import ContentFile

    meeting = MeetingLogFactory(lead=LeadFactory(owner=p["officer"]), created_by=p["officer"])
    attachment = MeetingAttachment(meeting=meeting, original_name="议程.pdf", size=9, token="t" * 32,
                                   extension=".pdf", uploaded_by=p["officer"])
    attachment.file.save("agenda.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return {"pk": attachment.pk}


def _follow_up(p):
    return {"pk": FollowUpFactory(lead=LeadFactory(owner=p["officer"])).pk}


def _event(p):
    event = PromotionEventFactory(created_by=p["officer"])
    event.attendees.add(p["officer"])
    return {"pk": event.pk}


def _import(p, status=ImportStatus.PREVIEW):
    from django.core.files.base import ContentFile

    job = LeadImport(original_name="台账.xlsx", token="i" * 32, extension=".xlsx", created_by=p["officer"],
                     status=status, preview={"rows": [], "counts": {}})
    job.file.save("ledger.xlsx", ContentFile(write_xlsx([], [])), save=False)
    job.save()
    return {"pk": job.pk}


def _meeting_post(p):
    return {"kind": "visit", "occurred_at": "2026-01-05T10:00", "discussion": "洽谈"}


def _upload(p):
    return {"file": io.BytesIO(b"%PDF-1.4 minutes")}


# Owners and leaders change; the other officer sees but may not change; administrators look only.
OWNER_WRITE = {**staff_only(), "other_officer": 403, "admin": 403}
# A POST that succeeds redirects.
OWNER_POST = {**staff_only(302), "other_officer": 403, "admin": 403}
WORKERS = {**staff_only(), "admin": 403}
LEADER_ONLY = {**staff_only(), "officer": 403, "other_officer": 403, "admin": 403}
UPLOADER = {"anon": 302, "officer": 200, "other_officer": 404, "leader": 200, "admin": 404, "reviewer": 404}

CASES = [
    UrlCase("leads:my_work", staff_only()),
    UrlCase("leads:lead_list", staff_only()),
    UrlCase("leads:lead_export", staff_only()),
    UrlCase("leads:lead_pipeline", LEADER_ONLY),
    UrlCase("leads:lead_create", WORKERS),
    UrlCase("leads:lead_detail", staff_only(), _lead),
    UrlCase("leads:lead_edit", OWNER_WRITE, _lead),
    UrlCase("leads:lead_status", OWNER_POST, _lead, method="post", data=lambda p: {"status": "following"}),
    UrlCase("leads:lead_assess", OWNER_POST, _lead, method="post", data=lambda p: {"assessment": "真实意向"}),
    UrlCase("leads:lead_reassign", {**staff_only(302), "officer": 403, "other_officer": 403, "admin": 403},
            _lead, method="post", data=lambda p: {"owner": p["other_officer"].pk}),
    UrlCase("leads:meeting_create", OWNER_WRITE, _lead_fk),
    UrlCase("leads:meeting_create", OWNER_POST, _lead_fk, method="post", data=_meeting_post,
            id="leads:meeting_create-post"),
    UrlCase("leads:enterprise_meeting_create", WORKERS, _enterprise_fk),
    UrlCase("leads:meeting_list", staff_only()),
    UrlCase("leads:meeting_export", staff_only()),
    UrlCase("leads:meeting_detail", staff_only(), _meeting),
    UrlCase("leads:meeting_edit", OWNER_WRITE, _meeting),
    UrlCase("leads:attachment_upload", OWNER_POST, _meeting, method="post", data=_upload),
    UrlCase("leads:attachment_download", staff_only(), _attachment),
    UrlCase("leads:followup_complete", OWNER_POST, _follow_up, method="post", data=lambda p: {"note": ""}),
    UrlCase("leads:followup_reschedule", OWNER_POST, _follow_up, method="post",
            data=lambda p: {"due_on": "2099-01-01"}),
    UrlCase("leads:followup_cancel", OWNER_POST, _follow_up, method="post", data=lambda p: {"note": "企业取消"}),
    UrlCase("leads:event_list", staff_only()),
    UrlCase("leads:event_create", WORKERS),
    UrlCase("leads:event_detail", staff_only(), _event),
    UrlCase("leads:event_edit", OWNER_WRITE, _event),
    UrlCase("leads:import_start", WORKERS),
    UrlCase("leads:import_template", staff_only()),
    UrlCase("leads:import_detail", UPLOADER, _import),
    UrlCase("leads:import_progress", UPLOADER, _import),
    UrlCase("leads:import_confirm", {**UPLOADER, "officer": 302, "leader": 403}, _import, method="post",
            data=lambda p: {}),
    UrlCase("leads:import_report", UPLOADER, _import),
]
