"""The tamper-evident chain of the audit log: how an entry's hash is computed and how a chain is checked.

Pure module (plain values in and out, no ORM). Each entry's hash is SHA-256 over a canonical JSON array of its
recorded fields followed by the previous entry's hash, so changing, removing or reordering any entry breaks
every hash after it. The first entry of the log follows GENESIS_HASH.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64

# The fields that are hashed, in this order. Changing the list invalidates every stored hash: never do it
# without a migration that re-anchors the chain (docs/security.md).
HASHED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_username", "actor_role", "ip_address", "user_agent", "path",
    "action", "target_type", "target_id", "target_label", "result", "detail",
)


def canonical_time(value: datetime) -> str:
    """A timestamp as UTC ISO text with microseconds, the same whatever database stored it."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(fields: Mapping, prev_hash: str) -> str:
    """SHA-256 (hex) of an entry's hashed fields and the hash of the entry before it."""
    values = [
        canonical_time(fields[name]) if name == "occurred_at" else fields[name] for name in HASHED_FIELDS
    ]
    text = json.dumps([*values, prev_hash], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first entry at which the chain does not hold, and why (`kind`: one of BREAK_KINDS).

    `anchored_on` is the date of the anchor an "anchor" or "anchor_missing" break contradicts.
    """

    seq: int
    kind: str
    missing_from: int | None = None
    anchored_on: str | None = None


BREAK_KINDS = ("missing", "link", "contents", "tail", "anchor", "anchor_missing")


@dataclass(frozen=True)
class Anchor:
    """A chain head written outside the database on `date`: entry `seq` had hash `entry_hash`."""

    date: str
    seq: int
    entry_hash: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking a chain: the first break (None when it holds), the last entry that held, and how
    many anchors written outside the database the chain was compared with."""

    broken: ChainBreak | None
    checked: int
    last_seq: int
    last_hash: str
    anchors_checked: int = 0


def verify(entries: Iterable[Mapping], *, head: tuple[int, str] | None = None,
           anchors: Iterable[Anchor] = ()) -> ChainReport:
    """Walk the whole chain from its first entry (seq 1) in sequence order and report the first break.

    An entry breaks the chain when a sequence number is missing before it (an entry was removed), when its
    `prev_hash` is not the hash of the entry before it, or when its stored hash does not match its fields.
    `head` is the (seq, hash) the log recorded as its last append: entries removed from the end break there.
    `anchors` are heads written where the database's administrator cannot rewrite them: a chain rewritten
    whole (every hash recomputed) holds together but no longer passes through them.
    """
    by_seq: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_seq.setdefault(anchor.seq, []).append(anchor)
    last_seq, last_hash, checked, anchored = 0, GENESIS_HASH, 0, 0
    for entry in entries:
        seq = entry["seq"]
        broken = None
        if seq != last_seq + 1:
            broken = ChainBreak(seq, "missing", missing_from=last_seq + 1)
        elif entry["prev_hash"] != last_hash:
            broken = ChainBreak(seq, "link")
        elif entry_hash(entry, entry["prev_hash"]) != entry["entry_hash"]:
            broken = ChainBreak(seq, "contents")
        else:
            for anchor in by_seq.get(seq, ()):
                if anchor.entry_hash != entry["entry_hash"]:
                    broken = ChainBreak(seq, "anchor", anchored_on=anchor.date)
                    break
                anchored += 1
        if broken:
            return ChainReport(broken, checked, last_seq, last_hash, anchored)
        last_seq, last_hash, checked = seq, entry["entry_hash"], checked + 1
    if head is not None and (last_seq, last_hash) != tuple(head):
        return ChainReport(ChainBreak(last_seq + 1, "tail", missing_from=last_seq + 1), checked, last_seq,
                           last_hash, anchored)
    beyond = sorted((seq, group[0]) for seq, group in by_seq.items() if seq > last_seq)
    if beyond:
        seq, anchor = beyond[0]
        return ChainReport(ChainBreak(seq, "anchor_missing", missing_from=last_seq + 1, anchored_on=anchor.date),
                           checked, last_seq, last_hash, anchored)
    return ChainReport(None, checked, last_seq, last_hash, anchored)
