"""The security audit log is append-only, hash-chained, verifiable and archived without breaking the chain."""

import json
import logging
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from crm.models import User
from security import audit, chain, services
from security.choices import AuditAction
from security.models import AuditArchiveEntry, AuditChainHead, AuditEntry, AuditLogImmutable
from tests.security.factories import audit_entries, tamper, triggers_off

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's triggers")


@pytest.mark.django_db
def test_each_entry_carries_the_hash_of_the_one_before_it(officer):
    first, second, third = audit_entries(3, actor=officer)
    assert (first.seq + 1, first.seq + 2) == (second.seq, third.seq)
    assert second.prev_hash == first.entry_hash and third.prev_hash == second.entry_hash
    assert third.entry_hash == chain.entry_hash(third.chain_fields(), second.entry_hash)
    assert AuditChainHead.objects.get().last_hash == third.entry_hash
    assert (third.actor_username, third.actor_role, third.detail) == ("officer", "officer", {"rows": 2})


@pytest.mark.django_db
def test_the_application_cannot_change_or_delete_an_entry(officer):
    entry = audit_entries(1, actor=officer)[0]
    entry.target_label = "forged"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(result="denied")
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogImmutable), transaction.atomic():  # bulk_update marks its transaction broken
        AuditEntry.objects.bulk_update([entry], ["target_label"])
    assert AuditEntry.objects.get(pk=entry.pk).target_label == "export 0"


@on_postgresql
@pytest.mark.django_db
def test_postgresql_itself_refuses_update_and_delete_on_the_audit_tables(officer):
    entry = audit_entries(1, actor=officer)[0]
    for sql in ("UPDATE security_auditentry SET result = 'denied' WHERE seq = %s",
                "DELETE FROM security_auditentry WHERE seq = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [entry.seq])
    assert AuditEntry.objects.get(pk=entry.pk).result == "success"


@pytest.mark.django_db
def test_the_database_itself_refuses_changes_that_go_around_the_model(officer):
    entry = audit_entries(1, actor=officer)[0]
    attempts = [
        lambda: AuditEntry._base_manager.filter(pk=entry.pk).update(result="denied"),
        lambda: AuditEntry._base_manager.filter(pk=entry.pk).delete(),
        lambda: models.QuerySet(AuditEntry).filter(pk=entry.pk).update(target_label="forged"),
        lambda: models.QuerySet(AuditEntry).all().delete(),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    AuditArchiveEntry.objects.bulk_create([AuditArchiveEntry(
        **{f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields})])
    for attempt in (lambda: AuditArchiveEntry._base_manager.update(result="denied"),
                    lambda: models.QuerySet(AuditArchiveEntry).all().delete()):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert AuditEntry.objects.get(pk=entry.pk).result == "success"
    assert AuditArchiveEntry.objects.get(pk=entry.pk).result == "success"


def rewrite_whole_chain(*, from_seq, label):
    """What someone with full database rights can do: change an entry and recompute every hash after it."""
    rows = list(AuditEntry.objects.order_by("seq"))
    prev = chain.GENESIS_HASH
    with triggers_off(), connection.cursor() as cursor:
        for row in rows:
            if row.seq == from_seq:
                row.target_label = label
            if row.seq >= from_seq:
                row.prev_hash = prev
                row.entry_hash = chain.entry_hash(row.chain_fields(), prev)
                cursor.execute("UPDATE security_auditentry SET target_label = %s, prev_hash = %s, entry_hash = %s "
                               "WHERE seq = %s", [row.target_label, row.prev_hash, row.entry_hash, row.seq])
            prev = row.entry_hash
        cursor.execute("UPDATE security_auditchainhead SET last_hash = %s WHERE id = 1", [prev])


@pytest.mark.django_db
def test_a_chain_rewritten_whole_is_caught_against_the_anchor_written_outside_the_database(
        officer, settings, tmp_path, capsys, caplog):
    settings.CRM_AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    entries = audit_entries(4, actor=officer)
    anchor_log = logging.getLogger("security.anchor")
    anchor_log.addHandler(caplog.handler)
    try:
        call_command("audit_anchor")
    finally:
        anchor_log.removeHandler(caplog.handler)
    anchored = json.loads((tmp_path / "anchors" / "audit-anchors.jsonl").read_text().splitlines()[-1])
    assert anchored == {"date": "2026-12-02", "seq": entries[-1].seq, "hash": entries[-1].entry_hash}
    system_log = tmp_path / "syslog.txt"  # the same line, as the system log shows it
    system_log.write_text("\n".join(f"Dec  2 03:05:00 crm {r.getMessage()}" for r in caplog.records) + "\n")
    call_command("audit_verify")
    assert "1 anchors matched" in capsys.readouterr().out

    rewrite_whole_chain(from_seq=entries[1].seq, label="nothing to see")
    settings.CRM_AUDIT_ANCHOR_DIR = ""
    assert audit.verify_chain().broken is None  # the rewritten chain holds together on its own
    with pytest.raises(CommandError, match=f"第 {entries[-1].seq} 条.*2026-12-02"):
        call_command("audit_verify", "--anchors", str(system_log))
    settings.CRM_AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    with pytest.raises(CommandError, match=f"第 {entries[-1].seq} 条"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_a_chain_cut_short_and_rewritten_is_caught_against_the_anchor(officer, settings, tmp_path):
    settings.CRM_AUDIT_ANCHOR_DIR = str(tmp_path)
    entries = audit_entries(3, actor=officer)
    services.audit_chain_anchor(today=timezone.localdate())
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_auditentry WHERE seq = %s", [entries[-1].seq])
        cursor.execute("UPDATE security_auditchainhead SET last_seq = %s, last_hash = %s WHERE id = 1",
                       [entries[-2].seq, entries[-2].entry_hash])
    report = audit.verify_chain()
    assert (report.broken.kind, report.broken.seq) == ("anchor_missing", entries[-1].seq)


@pytest.mark.django_db
def test_the_anchor_is_mailed_to_the_audit_administrators_when_mail_is_set_up(audit_admin, settings, tmp_path):
    settings.CRM_AUDIT_ANCHOR_DIR = str(tmp_path)
    settings.EMAIL_HOST = "mail.jiyang.invalid"
    audit_admin.email = "audit@jiyang.invalid"
    audit_admin.save()
    line = services.audit_chain_anchor(today=timezone.localdate())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["audit@jiyang.invalid"] and line in mail.outbox[0].body
    settings.EMAIL_HOST = ""
    services.audit_chain_anchor(today=timezone.localdate())
    assert len(mail.outbox) == 1  # without a mail server, the file and the system log only


def test_the_anchor_runs_every_night_after_the_verification_and_before_the_backup():
    from crm.schedules import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["security-anchor-audit-chain"]
    assert entry["task"] == "security.tasks.anchor_audit_chain"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {5})


@on_postgresql
@pytest.mark.django_db
def test_postgresql_refuses_deleting_a_recent_entry_even_when_it_was_copied_to_the_archive(officer):
    entry = audit_entries(1, actor=officer)[0]
    AuditArchiveEntry.objects.bulk_create([AuditArchiveEntry(
        **{f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields})])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM security_auditentry WHERE seq = %s", [entry.seq])


@pytest.mark.django_db
def test_verification_names_the_first_entry_whose_contents_were_changed(officer, capsys):
    entries = audit_entries(5, actor=officer)
    call_command("audit_verify")
    assert "5" in capsys.readouterr().out
    tamper("UPDATE security_auditentry SET target_label = 'nothing to see' WHERE seq = %s", [entries[2].seq])
    with pytest.raises(CommandError, match=f"第 {entries[2].seq} 条：写入后内容被修改"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_verification_finds_an_entry_removed_from_the_middle_or_the_end(officer):
    entries = audit_entries(5, actor=officer)
    tamper("DELETE FROM security_auditentry WHERE seq = %s", [entries[4].seq])
    report = audit.verify_chain()
    assert (report.broken.kind, report.broken.seq) == ("tail", entries[4].seq)
    tamper("DELETE FROM security_auditentry WHERE seq = %s", [entries[1].seq])
    report = audit.verify_chain()
    assert (report.broken.kind, report.broken.seq, report.broken.missing_from) == (
        "missing", entries[2].seq, entries[1].seq)


@pytest.mark.django_db
def test_a_rewritten_entry_with_a_recomputed_hash_still_breaks_the_link_of_the_next_one(officer):
    entries = audit_entries(3, actor=officer)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.result = "denied"
    new_hash = chain.entry_hash(forged.chain_fields(), forged.prev_hash)
    tamper("UPDATE security_auditentry SET result = 'denied', entry_hash = %s WHERE seq = %s",
           [new_hash, forged.seq])
    report = audit.verify_chain()
    assert (report.broken.kind, report.broken.seq) == ("link", entries[2].seq)


def test_the_chain_is_checked_from_plain_values():
    when = timezone.now()
    rows, prev = [], chain.GENESIS_HASH
    for seq in (1, 2, 3):
        row = {name: "" for name in chain.HASHED_FIELDS} | {"seq": seq, "occurred_at": when, "actor_id": None,
                                                           "detail": {"n": seq}, "prev_hash": prev}
        row["entry_hash"] = prev = chain.entry_hash(row, row["prev_hash"])
        rows.append(row)
    assert chain.verify(rows, head=(3, prev)).broken is None
    assert chain.verify(rows[:2], head=(3, prev)).broken.kind == "tail"
    rows[0]["detail"] = {"n": 9}
    assert chain.verify(rows).broken == chain.ChainBreak(1, "contents")


@pytest.mark.django_db
def test_a_retention_under_180_days_is_refused(settings):
    with pytest.raises(CommandError, match="180"):
        call_command("audit_archive", "--days", "90")
    with pytest.raises(ValidationError):
        audit.archive(older_than_days=179)


@pytest.mark.django_db
def test_archiving_moves_only_entries_past_the_retention_and_the_chain_still_verifies(capsys):
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        old = audit_entries(4)
    recent = audit_entries(2)
    call_command("audit_archive")
    assert "4" in capsys.readouterr().out
    assert list(AuditArchiveEntry.objects.order_by("seq").values_list("seq", flat=True)) == [e.seq for e in old]
    live = list(AuditEntry.objects.order_by("seq").values_list("seq", "action"))
    assert live[:2] == [(e.seq, "export") for e in recent] and live[2][1] == "audit_archived"
    report = audit.verify_chain()
    assert report.broken is None and report.checked == 7
    assert AuditArchiveEntry.objects.get(seq=old[0].seq).entry_hash == old[0].entry_hash
    call_command("audit_archive")
    assert AuditArchiveEntry.objects.count() == 4  # nothing more is old enough


@pytest.mark.django_db
def test_archiving_stops_at_the_first_recent_entry_so_only_a_prefix_of_the_chain_moves():
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        first = audit_entries(1)[0]
    audit_entries(1)
    with time_machine.travel(timezone.now() - timedelta(days=190)):
        audit_entries(1)  # old, but after a recent entry (a clock set back): stays with its neighbours
    assert audit.archive() == 1
    assert list(AuditArchiveEntry.objects.values_list("seq", flat=True)) == [first.seq]
    assert audit.verify_chain().broken is None


@pytest.mark.django_db
def test_a_broken_chain_is_not_archived():
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        old = audit_entries(2)
    tamper("UPDATE security_auditentry SET target_label = 'x' WHERE seq = %s", [old[0].seq])
    with pytest.raises(CommandError, match=f"第 {old[0].seq} 条"):
        call_command("audit_archive")
    assert not AuditArchiveEntry.objects.exists()


@pytest.mark.django_db
def test_an_entry_keeps_its_account_name_and_text_survives_any_database(officer):
    entry = audit.record(action=AuditAction.LOGIN_FAILED, actor=None, actor_username="bad\x00name" + "x" * 200,
                         detail={"ratio": 0.1, "when": timezone.now(), "nested": {"ok": True}})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_username.startswith("badname") and len(stored.actor_username) == 150
    assert isinstance(stored.detail["ratio"], str) and stored.detail["nested"] == {"ok": True}
    assert audit.verify_chain().broken is None


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_linear_chain():
    User.objects.all()  # the test database is ready before the threads start

    def append(n):
        try:
            for i in range(10):
                audit.record(action=AuditAction.EXPORT, actor=None, target_label=f"thread {n} export {i}")
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = audit.verify_chain()
    assert report.broken is None and report.checked == 40
