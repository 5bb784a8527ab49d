"""Walking the sign-off chains: every record's hashes, and every name frozen beside a record
against the salted hash sealed inside it. ``manage.py verify_signoffs`` and the checks after a
restore call this (through ``supervision.services``)."""

from django.db import connections

from . import chain
from .models import SignedName, SignOffRecord


def sign_off_chains_verify(*, using: str = "default") -> dict[int, list[str]]:
    """Every trainee's chain, walked: {trainee id: problems} for the broken ones only.
    ``using`` names another database (a restore checks the database it restored into, which
    may be a backup made before names were frozen: then its records have no name commitment
    and it has no signed names, until ``migrate`` adds them)."""
    columns = _columns(using, SignOffRecord._meta.db_table)
    frozen_names = "name_commitment" in columns
    # Backups made before two supervisors could decide have no such columns: every record in
    # them was made by one supervisor, and was sealed without them.
    panels = "rule" in columns
    records = SignOffRecord.objects.using(using).order_by("trainee_id", "id")
    if not frozen_names:
        records = records.defer("name_commitment")
    if not panels:
        records = records.defer("rule", "is_result", "sign_off_request")
    problems: dict[int, list[str]] = {}
    links: dict[int, list] = {}
    for record in records.iterator():
        if not frozen_names:
            record.name_commitment = None  # as the record was sealed: without one
        if not panels:
            record.rule = record.is_result = record.sign_off_request_id = None
        links.setdefault(record.trainee_id, []).append(record.link())
    for trainee_id, chain_links in links.items():
        found = chain.verify(chain_links)
        if found:
            problems[trainee_id] = found
    if frozen_names:
        _verify_signed_names(using, problems)
    return problems


def _columns(using: str, table: str) -> set[str]:
    connection = connections[using]
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _verify_signed_names(using: str, problems: dict[int, list[str]]) -> None:
    """Each name beside a record still matches the salted hash sealed inside it."""
    commitments = dict(
        SignOffRecord.objects.using(using)
        .filter(name_commitment__isnull=False)
        .values_list("pk", "name_commitment")
    )
    for signed in SignedName.objects.using(using).order_by("record_id").iterator():
        if commitments.get(signed.record_id) != signed.commitment():
            problems.setdefault(signed.trainee_id, []).append(
                f"record {signed.record_id}: the name signed off has changed"
            )
