"""The sign-off hash chain pinned across versions (supervision/chain.py), with no database.

Every stored sign-off record is verified by recomputing its hashes, so the byte encoding of a
record can never change: a later release that sorted keys differently, escaped non-ASCII text,
added spaces, lengthened GENESIS or renamed a hashed key would make every stored chain fail
(or pass when it should not). The digests below are literal values computed by the code of
format v1, and tests/supervision/data/chain-v1.json is a chain written by that code: both must
hold in every later version. Never regenerate them: a deliberate change of format needs a new
format version whose verifier is kept beside this one, so that chains already stored still verify.
"""

import dataclasses
import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from supervision import chain

STORED = Path(__file__).parent / "data" / "chain-v1.json"

# Keys out of order, nested, non-ASCII text, a datetime, a date, a decimal, null, true, a float.
RECORD = {
    "trainee": 7,
    "decision": "competent",
    "level": 4,
    "feedback": "Gwaith da: ëmpathie, naïve — “quoted”",
    "revokes": None,
    "passed": True,
    "score": 0.75,
    "created_at": datetime.datetime(2026, 12, 5, 9, 30, tzinfo=datetime.UTC),
    "day": datetime.date(2026, 12, 5),
    "points": Decimal("12.50"),
    "attempts": [[3, 11], [5, 12]],
    "nested": {"b": 1, "a": 2},
}
RECORD_BYTES = (
    '{"attempts":[[3,11],[5,12]],"created_at":"2026-12-05 09:30:00+00:00","day":"2026-12-05",'
    '"decision":"competent","feedback":"Gwaith da: ëmpathie, naïve — “quoted”","level":4,'
    '"nested":{"a":2,"b":1},"passed":true,"points":"12.50","revokes":null,"score":0.75,'
    '"trainee":7}'
).encode()
RECORD_DIGEST = "7d58e0adc8bf305057e04914819cc77925558f66ecc92f5173b986bbcbdc6ad6"


def test_genesis_is_sixty_four_zeros():
    assert chain.GENESIS == "0000000000000000000000000000000000000000000000000000000000000000"


def test_canonical_bytes_are_pinned():
    """Sorted keys at every level, no spaces, UTF-8 text as it is (not \\u escapes), dates and
    decimals through str()."""
    assert chain.canonical(RECORD) == RECORD_BYTES
    assert chain.canonical({}) == b"{}"
    assert chain.canonical(["é"]) == b'["\xc3\xa9"]'


def test_digests_are_pinned():
    assert chain.digest(RECORD) == RECORD_DIGEST
    assert chain.digest({}) == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    # The same record with its keys given in another order has the same digest.
    assert chain.digest(dict(reversed(list(RECORD.items())))) == RECORD_DIGEST


def test_record_digest_is_pinned():
    """The record's own fields plus the two hashes under the keys snapshot_hash and
    previous_hash."""
    fields = {"b": "é", "a": 1}
    expected = "e07d0c05ad9670d9b855dc1d9b7332d645fdb55a8bfa8f4b9d46864e09c62c09"
    assert chain.record_digest(fields, "1" * 64, chain.GENESIS) == expected
    assert expected == chain.digest(
        {"a": 1, "b": "é", "previous_hash": chain.GENESIS, "snapshot_hash": "1" * 64}
    )


def stored_links() -> list[chain.Link]:
    records = json.loads(STORED.read_text(encoding="utf-8"))["records"]
    return [
        chain.Link(
            r["id"],
            r["fields"],
            r["snapshot"],
            r["snapshot_hash"],
            r["previous_hash"],
            r["record_hash"],
        )
        for r in records
    ]


def test_the_stored_v1_chain_still_verifies():
    links = stored_links()
    assert [link.id for link in links] == [101, 102, 103]
    assert links[0].previous_hash == chain.GENESIS
    assert [link.previous_hash for link in links[1:]] == [link.record_hash for link in links[:-1]]
    assert links[1].record_hash == (
        "8d05864d3f91971ea1b072e684a907ba97953135d5dd275ba528b22bd9bb94d6"
    )
    assert chain.verify(links) == []


def _with(link: chain.Link, **changes) -> chain.Link:
    return dataclasses.replace(link, **changes)


@pytest.mark.parametrize(
    ("tamper", "problems"),
    [
        (
            lambda ls: [ls[0], _with(ls[1], fields={**ls[1].fields, "level": 5}), ls[2]],
            ["record 102: its fields have changed"],
        ),
        (
            lambda ls: [ls[0], _with(ls[1], snapshot={**ls[1].snapshot, "ready": False}), ls[2]],
            ["record 102: the evidence snapshot has changed"],
        ),
        (
            lambda ls: [ls[0], ls[2]],
            ["record 103 does not follow the record before it"],
        ),
        (
            lambda ls: [ls[1], ls[0], ls[2]],
            [
                "record 102 does not follow the record before it",
                "record 101 does not follow the record before it",
                "record 103 does not follow the record before it",
            ],
        ),
        (
            # A forged previous hash is caught twice: the link and the record's own hash.
            lambda ls: [_with(ls[0], previous_hash="f" * 64), *ls[1:]],
            [
                "record 101 does not follow the record before it",
                "record 101: its fields have changed",
            ],
        ),
        (
            # A new snapshot with its own hash recomputed still breaks the record's hash.
            lambda ls: [
                ls[0],
                _with(
                    ls[1],
                    snapshot={**ls[1].snapshot, "ready": False},
                    snapshot_hash=chain.digest({**ls[1].snapshot, "ready": False}),
                ),
                ls[2],
            ],
            ["record 102: its fields have changed"],
        ),
    ],
    ids=["fields", "snapshot", "gap", "order", "previous", "resealed-snapshot"],
)
def test_tampering_with_the_stored_chain_is_reported(tamper, problems):
    assert chain.verify(tamper(stored_links())) == problems


def test_an_empty_chain_is_intact():
    assert chain.verify([]) == []
