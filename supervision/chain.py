"""Hash chains for sign-off records. Pure Python: no Django imports.

Each record stores the SHA-256 of its evidence snapshot, the hash of the previous record for the
same trainee, and the hash of its own fields (which include both). Changing any stored field,
the snapshot, or the order of records breaks a hash that ``verify`` recomputes.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(data) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8, dates as ISO strings."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def digest(data) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


@dataclass(frozen=True)
class Link:
    """One stored record as the chain sees it."""

    id: int
    fields: Mapping
    snapshot: Mapping
    snapshot_hash: str
    previous_hash: str
    record_hash: str


def name_commitment(name: str, salt: str) -> str:
    """A salted hash of the name signed off: inside the record's hash, it freezes the name;
    without the salt (deleted with the name by an erasure) it reveals nothing about it."""
    return digest({"name": name, "salt": salt})


def record_digest(fields: Mapping, snapshot_hash: str, previous_hash: str) -> str:
    return digest({**fields, "snapshot_hash": snapshot_hash, "previous_hash": previous_hash})


def verify(links: Sequence[Link]) -> list[str]:
    """Problems found walking one trainee's records in order; empty when the chain is intact."""
    problems = []
    expected_previous = GENESIS
    for link in links:
        if link.previous_hash != expected_previous:
            problems.append(f"record {link.id} does not follow the record before it")
        if digest(link.snapshot) != link.snapshot_hash:
            problems.append(f"record {link.id}: the evidence snapshot has changed")
        if record_digest(link.fields, link.snapshot_hash, link.previous_hash) != link.record_hash:
            problems.append(f"record {link.id}: its fields have changed")
        expected_previous = link.record_hash
    return problems
