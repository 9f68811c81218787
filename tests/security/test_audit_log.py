"""The security audit log is append-only, hash-chained, verifiable and archived without breaking the chain."""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from crm.models import User
from security import audit, chain
from security.choices import AuditAction
from security.models import AuditArchiveEntry, AuditChainHead, AuditEntry, AuditLogImmutable
from tests.security.factories import audit_entries

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's triggers")


@contextmanager
def triggers_off():
    """Tamper as a database owner would: on PostgreSQL, with the append-only triggers switched off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    else:
        yield


def tamper(sql, params=()):
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


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
