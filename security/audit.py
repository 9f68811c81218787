"""The security audit log's one entrance, `record()`, and what surrounds it: the request context that says
who and from where, the export/download helpers other apps use, chain verification and archiving.

Every app records security-relevant events here (see docs/security.md, "Recording events from your app"):

    from security import audit
    from security.choices import AuditAction

    audit.record(action=AuditAction.OPINION_CHANGED, target=opinion, actor=by, detail={"version": 2})

Entries are only ever inserted. The chain head row is locked while an entry is appended, so concurrent
appends stay in one line; the lock is held until the caller's transaction ends.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import logging
import os
from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from security import chain
from security.choices import AuditAction, AuditResult
from security.models import AuditArchiveEntry, AuditChainHead, AuditEntry

# The Cybersecurity Law (art. 21) requires network logs to be kept at least six months.
MINIMUM_RETENTION_DAYS = 180


@dataclass(frozen=True)
class RequestMeta:
    """Where an event came from: the client address, its browser, the page, and (lazily) the account."""

    ip_address: str = ""
    user_agent: str = ""
    path: str = ""
    user: Callable[[], Any] | None = None


_current: ContextVar[RequestMeta | None] = ContextVar("security_audit_request", default=None)
_FROM_CONTEXT = object()


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the header a trusted proxy sets (CRM_AUDIT_IP_HEADER)."""
    header = getattr(settings, "CRM_AUDIT_IP_HEADER", "")
    raw = (request.META.get(header, "") if header else "") or request.META.get("REMOTE_ADDR", "")
    return _ip(raw.split(",")[0])


def lockout_address(request) -> str | None:
    """The address failed logins are counted against (django-axes): the one the audit log records."""
    return client_ip(request) or None


def meta_from_request(request) -> RequestMeta:
    return RequestMeta(
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        path=request.path,
        user=lambda: getattr(request, "user", None),
    )


def bind_request(request) -> Token:
    """Make this request the context of every entry recorded while it is handled (middleware calls this)."""
    return _current.set(meta_from_request(request))


def unbind_request(token: Token) -> None:
    _current.reset(token)


def current_meta() -> RequestMeta:
    return _current.get() or RequestMeta()


def record(*, action: str, target: Any = None, result: str = AuditResult.SUCCESS, actor: Any = _FROM_CONTEXT,
           actor_username: str = "", target_label: str = "", detail: dict | None = None,
           request_meta: RequestMeta | None = None) -> AuditEntry:
    """Append one entry to the security audit log and return it.

    `actor` defaults to the account of the request being handled (None for the system); `target` is a model
    instance or None; `target_label` names a target that is not a record (a page, a username).
    `request_meta` defaults to the request being handled; pass `meta_from_request(request)` where an event
    is handled outside the middleware. Never put passwords, codes or personal data in `detail`.
    """
    meta = request_meta or current_meta()
    if actor is _FROM_CONTEXT:
        actor = meta.user() if meta.user else None
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    target_type, target_id = "", ""
    if isinstance(target, models.Model):
        target_type, target_id = target._meta.label_lower, str(target.pk)
        target_label = target_label or str(target)
    values = {
        "actor_id": actor.pk if actor else None,
        "actor_username": actor.get_username() if actor else actor_username,
        "actor_role": getattr(actor, "role", "") if actor else "",
        "ip_address": meta.ip_address,
        "user_agent": meta.user_agent,
        "path": meta.path,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_label": target_label,
        "result": result,
    }
    values = {name: _fit(AuditEntry, name, value) for name, value in values.items()}
    values["detail"] = _plain(detail or {})
    return _append(values)


def _fit(model, name: str, value):
    """Text as the column will store it: no NUL characters (PostgreSQL refuses them), cut to the column."""
    if not isinstance(value, str):
        return value
    return value.replace("\x00", "")[: model._meta.get_field(name).max_length]


def _ip(raw: str) -> str:
    try:
        return ipaddress.ip_address(raw.strip()).compressed
    except ValueError:
        return ""


def _plain(value):
    """Detail as JSON that reads back identically from any database: text, integers, booleans, lists, maps."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int):
        return value
    return str(value).replace("\x00", "")


@transaction.atomic
def _append(values: dict) -> AuditEntry:
    head = _locked_head()
    entry = AuditEntry(seq=head.last_seq + 1, prev_hash=head.last_hash, occurred_at=timezone.now(), **values)
    entry.entry_hash = chain.entry_hash(entry.chain_fields(), entry.prev_hash)
    entry.save()
    AuditChainHead.objects.filter(pk=head.pk).update(last_seq=entry.seq, last_hash=entry.entry_hash)
    return entry


def _locked_head() -> AuditChainHead:
    """The chain head, locked for this transaction; rebuilt from the last entry if the row is missing."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = AuditEntry.objects.order_by("-seq").first() or AuditArchiveEntry.objects.order_by("-seq").first()
        AuditChainHead.objects.get_or_create(pk=1, defaults={
            "last_seq": last.seq if last else 0, "last_hash": last.entry_hash if last else chain.GENESIS_HASH,
        })
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


# --- exports and downloads -------------------------------------------------------------------------------

def audited_download(action: str = AuditAction.DOWNLOAD, *, what: str | Callable | None = None):
    """Decorate an export or download view: every successful answer (200) is recorded with the query used.

    `what` names the export (a string or a function of the request and view kwargs returning a string or a
    record); by default the view's URL name. Refusals (403/404) are recorded by the middleware anyway.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                named = what(request, **kwargs) if callable(what) else what
                target = named if isinstance(named, models.Model) else None
                label = "" if target is not None else (named or _view_name(request))
                record(action=action, target=target, target_label=label,
                       detail={"query": request.GET.urlencode()[:500]} if request.GET else {})
            return response

        return wrapper

    return decorator


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else request.path


# --- verification and archive ---------------------------------------------------------------------------

CHAIN_VALUES = (*chain.HASHED_FIELDS, "prev_hash", "entry_hash")


def verify_chain(*, anchor_files: Iterable[Path] = ()) -> chain.ChainReport:
    """Check the archive and the live log as one chain, ending at the recorded chain head and passing through
    every anchor in CRM_AUDIT_ANCHOR_DIR and in `anchor_files` (lines copied from the system log or e-mails)."""
    head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    rows = itertools.chain(
        AuditArchiveEntry.objects.order_by("seq").values(*CHAIN_VALUES).iterator(chunk_size=2000),
        AuditEntry.objects.order_by("seq").values(*CHAIN_VALUES).iterator(chunk_size=2000),
    )
    return chain.verify(rows, head=head, anchors=anchors_read(extra_files=anchor_files))


# --- anchors: the chain head written outside the database ---------------------------------------------------

ANCHOR_FILE_NAME = "audit-anchors.jsonl"
anchor_log = logging.getLogger("security.anchor")


def anchor_line(*, date: str, seq: int, entry_hash: str) -> str:
    """One anchor as the single JSON line written to the anchor file, the system log and the e-mail."""
    return json.dumps({"date": date, "seq": seq, "hash": entry_hash}, sort_keys=True)


def anchor_write(*, date: str, seq: int, entry_hash: str) -> str:
    """Append the anchor to the file in CRM_AUDIT_ANCHOR_DIR (when set) and to the system log; return the line.

    The file is only ever appended to and synced to disk; it belongs on a volume the database's administrator
    cannot write (docs/security.md, "Anchors").
    """
    line = anchor_line(date=date, seq=seq, entry_hash=entry_hash)
    directory = settings.CRM_AUDIT_ANCHOR_DIR
    if directory:
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / ANCHOR_FILE_NAME, "a", encoding="utf-8") as anchors:
            anchors.write(line + "\n")
            anchors.flush()
            os.fsync(anchors.fileno())
    anchor_log.info("audit chain anchor %s", line)
    return line


def anchors_read(*, extra_files: Iterable[Path] = ()) -> list[chain.Anchor]:
    """Every anchor in CRM_AUDIT_ANCHOR_DIR's files and in `extra_files`.

    A line counts when it holds a JSON object with "seq" and "hash" anywhere in it, so an extract of the
    system log or a saved e-mail can be passed as it is.
    """
    files = list(extra_files)
    if settings.CRM_AUDIT_ANCHOR_DIR and Path(settings.CRM_AUDIT_ANCHOR_DIR).is_dir():
        files += sorted(Path(settings.CRM_AUDIT_ANCHOR_DIR).glob("*.jsonl"))
    anchors = []
    for path in files:
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            start, end = line.find("{"), line.rfind("}")
            if start < 0 or end < start:
                continue
            try:
                value = json.loads(line[start:end + 1])
                anchors.append(chain.Anchor(date=str(value.get("date", "")), seq=int(value["seq"]),
                                            entry_hash=str(value["hash"])))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
    return anchors


def describe_break(broken: chain.ChainBreak) -> str:
    """The first broken entry in words, for the command and the audit administrator's page."""
    if broken.kind == "missing":
        return _("Entry %(seq)s: entries %(start)s to %(end)s before it are missing.") % {
            "seq": broken.seq, "start": broken.missing_from, "end": broken.seq - 1}
    if broken.kind == "tail":
        return _("Entry %(seq)s and later entries are missing from the end of the log.") % {"seq": broken.seq}
    if broken.kind == "anchor":
        return _("Entry %(seq)s: its hash differs from the one anchored outside the database on %(date)s; the "
                 "log was rewritten.") % {"seq": broken.seq, "date": broken.anchored_on}
    if broken.kind == "anchor_missing":
        return _("Entry %(seq)s, anchored outside the database on %(date)s, is no longer in the log: entries "
                 "from %(start)s on are missing.") % {"seq": broken.seq, "date": broken.anchored_on,
                                                     "start": broken.missing_from}
    if broken.kind == "link":
        return _("Entry %(seq)s: its link to the previous entry does not match.") % {"seq": broken.seq}
    return _("Entry %(seq)s: its contents were changed after it was written.") % {"seq": broken.seq}


class ChainBroken(Exception):
    def __init__(self, report: chain.ChainReport):
        self.report = report
        super().__init__(describe_break(report.broken))


def retention_days(days: int | None = None) -> int:
    """The retention to apply: the setting by default; anything under the legal minimum is refused."""
    days = settings.CRM_AUDIT_RETENTION_DAYS if days is None else days
    if days < MINIMUM_RETENTION_DAYS:
        raise ValidationError(
            _("Audit entries must be kept at least %(min)s days; %(days)s is too short."),
            params={"min": MINIMUM_RETENTION_DAYS, "days": days}, code="retention_too_short",
        )
    return days


def archive(*, older_than_days: int | None = None, batch_size: int = 1000) -> int:
    """Move entries older than the retention from the live log to the archive, unchanged; return how many.

    Only a prefix of the chain moves (the oldest entries), each batch copied then removed in one
    transaction, so `verify_chain` still walks archive + live log as one unbroken chain. A broken chain is
    never archived: it is reported instead, so the evidence stays where the audit administrator sees it.
    """
    days = retention_days(older_than_days)
    report = verify_chain()
    if report.broken:
        raise ChainBroken(report)
    cutoff = timezone.now() - timedelta(days=days)
    moved = 0
    while batch := _archive_batch(cutoff, batch_size):
        moved += batch
    if moved:
        record(action=AuditAction.AUDIT_ARCHIVED, actor=None,
               detail={"entries": moved, "older_than_days": days, "cutoff": cutoff.isoformat()})
    return moved


@transaction.atomic
def _archive_batch(cutoff, batch_size: int) -> int:
    _locked_head()  # one archiver at a time, and no append interleaves with the move
    first_recent = (AuditEntry.objects.filter(occurred_at__gte=cutoff).order_by("seq")
                    .values_list("seq", flat=True).first())
    old = AuditEntry.objects.filter(occurred_at__lt=cutoff).order_by("seq")
    if first_recent is not None:
        old = old.filter(seq__lt=first_recent)
    batch = list(old[:batch_size])
    if not batch:
        return 0
    names = [field.attname for field in AuditEntry._meta.concrete_fields]
    AuditArchiveEntry.objects.bulk_create(
        [AuditArchiveEntry(**{name: getattr(entry, name) for name in names}) for entry in batch]
    )
    # The one deletion the log allows; on PostgreSQL the trigger checks each row was archived unchanged.
    AuditEntry.objects.filter(seq__in=[entry.seq for entry in batch])._raw_delete(AuditEntry.objects.db)
    return len(batch)
