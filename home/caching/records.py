"""A person's records, cached per person until they change.

Views of a person's records (``for_records``) live under that person's records version, which
every write to their records replaces once it commits (``records_changed``: from the model
signals of every table declared ``in_records``, and from the services that write in bulk), and
under the content version too. Whoever else sees a person's records (a supervisor, their
trainee's) is registered by the app that knows (``register_viewing``), so the shell names no
domain table. Roles are cached per person too (``roles_key``), and dropped when that person's
groups change (``home.audit``).
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from ..personal_data import declared, person_column
from .content import TIMEOUT, VERSION_TIMEOUT, content_version

RECORDS_TIMEOUT = 3600


def record_models() -> dict[type, str]:
    """A person's records: every table whose rows belong to one person and feed what their
    dashboard, their supervisor's table or the course pages show about them (declared
    ``in_records`` in its ``personal_data``), with the attribute naming that person. A save or
    deletion of any such row starts a new records version for them (``_record_saved``); writes
    that bypass model signals (bulk inserts, queryset updates) call ``records_changed``
    themselves."""
    return {
        model: person_column(model, declaration)
        for model, declaration in declared()
        if declaration.in_records
    }


def records_key(user_id: int) -> str:
    return f"records:{user_id}"


def roles_key(user_id: int) -> str:
    return f"roles:{user_id}"


def _new_version() -> int:
    """A version no other process will ever make: the key of everything cached under it."""
    return secrets.randbits(63)


def records_versions(user_ids) -> dict[int, int]:
    """Each person's current records version (one round trip; a new one for whoever has none
    yet). Inside a transaction that changed someone's records, that person's version is the
    transaction's own (see ``records_changed``)."""
    ids = list(user_ids)
    local = _local_versions()
    keys = {records_key(user_id): user_id for user_id in ids if user_id not in local}
    found = cache.get_many(list(keys)) if keys else {}
    missing = {key: _new_version() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, VERSION_TIMEOUT)
        found.update(missing)
    versions = {keys[key]: version for key, version in found.items()}
    versions.update({user_id: local[user_id] for user_id in ids if user_id in local})
    return versions


def records_changed(*user_ids) -> None:
    """These people's records changed: everything cached about them, and everything cached
    for the people who see their records (``viewers_of``: a supervisor's records version
    covers their trainees'), is read afresh.

    Outside a transaction the versions move on at once. Inside one, they move on when it
    commits (once, however many writes name the same people; nothing if it rolls back):
    until then other requests go on reading what was committed, and this transaction reads
    under versions of its own, so it sees its own changes (so does a test, whose transaction
    never commits). Each person's viewers are looked up once per transaction.
    """
    ids = {int(user_id) for user_id in user_ids if user_id is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(ids | set().union(*viewers_of(ids).values()))
        return
    pending = _pending_bump(connection)
    if pending is None:
        pending = connection._psycomp_records_bump = _BumpOnCommit()
        transaction.on_commit(pending)
    pending.viewers.update(viewers_of([i for i in ids if i not in pending.viewers]))
    everyone = set(ids).union(*(pending.viewers[i] for i in ids))
    pending.local.update({user_id: _new_version() for user_id in everyone})


def _bump(user_ids) -> None:
    if user_ids:
        cache.set_many(
            {records_key(user_id): _new_version() for user_id in user_ids}, VERSION_TIMEOUT
        )


class _BumpOnCommit:
    """A transaction's changed records: the people whose versions move on when it commits,
    with the versions it reads them under until then."""

    def __init__(self):
        self.viewers: dict[int, frozenset[int]] = {}  # looked up in this transaction
        self.local: dict[int, int] = {}

    def __call__(self) -> None:
        _bump(set(self.local))


def _local_versions() -> dict[int, int]:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return {}
    pending = _pending_bump(connection)
    return pending.local if pending is not None else {}


def _pending_bump(connection) -> _BumpOnCommit | None:
    """This transaction's bump, if one is still waiting for the commit (a rolled-back
    transaction or savepoint drops its callbacks, and then a new one is registered)."""
    pending = getattr(connection, "_psycomp_records_bump", None)
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        return pending
    return None


# Who sees whom: lookups registered by the apps that know (``register_viewing``).
_viewing: list = []


def register_viewing(pairs_for) -> None:
    """Register who else must see a person's change. ``pairs_for(ids)`` gives (person, viewer)
    id pairs, every pair in which one of ``ids`` takes part (on either side): the viewer's
    cached views show the person's records, so a change of the person's records moves the
    viewer's version too; and the person's pages show the viewer's account (a supervisor's name
    on their trainee's dashboard), so a save of the viewer's account row moves the person's.
    Called once, from the ``AppConfig.ready`` of the app that knows (supervision: a supervisor
    sees their trainees); that app calls ``viewing_changed`` whenever who sees whom changes."""
    if pairs_for not in _viewing:
        _viewing.append(pairs_for)


def _pairs(ids) -> list[tuple[int, int]]:
    ids = list(ids)
    return [pair for pairs_for in _viewing for pair in pairs_for(ids)]


def viewers_key(person_id: int) -> str:
    return f"viewers:{person_id}"


def viewers_of(person_ids) -> dict[int, frozenset[int]]:
    """For each person, everyone registered as seeing their records (for a trainee, everyone
    ever assigned to supervise them, past, current or future: a few too many is harmless), from
    the cache, which ``viewing_changed`` drops; one lookup for whoever is not in it."""
    keys = {viewers_key(person_id): person_id for person_id in person_ids}
    if not keys:
        return {}
    found = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    missing = [person_id for person_id in keys.values() if person_id not in found]
    if missing:
        by_person: dict[int, set[int]] = {person_id: set() for person_id in missing}
        for person_id, viewer_id in _pairs(missing):
            if person_id in by_person:
                by_person[person_id].add(viewer_id)
        looked_up = {person: frozenset(viewers) for person, viewers in by_person.items()}
        cache.set_many({viewers_key(p): v for p, v in looked_up.items()}, TIMEOUT)
        found.update(looked_up)
    return found


def viewing_changed(pairs) -> None:
    """Who sees whom changed ((person id, viewer id) pairs began, ended or moved: a supervisor
    took on or gave up a trainee): both see it at once."""
    pairs = list(pairs)
    persons = {person_id for person_id, _ in pairs}
    cache.delete_many([viewers_key(person_id) for person_id in persons])
    pending = _pending_bump(transaction.get_connection())
    if pending is not None:  # what this transaction looked up before is out of date too
        for person_id in persons:
            pending.viewers.pop(person_id, None)
    records_changed(*{person for pair in pairs for person in pair})


def for_records(user_id: int, key: str, build):
    """``build()``, cached until this person's records or published content next change."""
    return for_records_many([user_id], key, lambda ids: {user_id: build()})[user_id]


def for_records_many(user_ids, key: str, build_many) -> dict:
    """For each person, the value ``build_many(ids)`` gives for them (a dict by id), cached
    until that person's records or published content next change: two round trips to the
    cache, and ``build_many`` called once for whoever was missing."""
    ids = list(user_ids)
    versions = records_versions(ids)
    content = content_version()
    full = {user_id: f"records:{user_id}:{versions[user_id]}:{content}:{key}" for user_id in ids}
    found = cache.get_many(list(full.values()))
    values = {user_id: found[full[user_id]] for user_id in ids if full[user_id] in found}
    missing = [user_id for user_id in ids if user_id not in values]
    if missing:
        built = build_many(missing)  # whoever no longer exists is simply left out
        cache.set_many({full[user_id]: built[user_id] for user_id in built}, RECORDS_TIMEOUT)
        values.update(built)
    return values


_record_columns: dict[type, str] = {}  # filled by ``home.caching.signals.connect``


def _record_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login changes nothing anyone is shown
    person_id = getattr(instance, _record_columns[sender])
    people = [person_id]
    if sender is get_user_model():  # their name shows on the pages of the people they see
        people += [person for person, viewer in _pairs([person_id]) if viewer == person_id]
    records_changed(*people)
