"""Values that every request would otherwise read again, kept in the cache until what they
depend on changes: published content (page titles, the tree, catalogues, the mastery policy),
a person's records (what their dashboards show) and a person's roles.

Content-derived values live under a version number that any publish, unpublish, move or
deletion of a page, and any save of a catalogue or the policy, replaces (``content_changed``,
connected in ``HomeConfig.ready``); old entries are simply never read again. Views of a person's
records (``for_records``) live under that person's records version, which every write to their
records replaces once it commits (``records_changed``, from model signals and from the services
that write in bulk), and under the content version too. Roles are cached per person and dropped
when that person's groups change (``home.audit``).
"""

import pickle
import secrets
import time

from django.core.cache import cache

from .personal_data import declared, person_column

# The shape of what is cached. Change it whenever a cached value changes shape (a new field, a
# tuple turned into a dict): the release then starts from an empty content cache (and so an
# empty records cache, whose keys carry the content version) instead of reading values that
# the previous code wrote.
CACHE_FORMAT = 2
VERSION_KEY = f"content:version:{CACHE_FORMAT}"
TIMEOUT = 6 * 3600
VERSION_TIMEOUT = 30 * 24 * 3600  # outlives every entry made under it
_MISSING = object()


# The version as this process last read it, and when: read again after a second, so another
# host's publish is seen within a second, and at once after a publish in this process.
_seen = {"version": None, "at": 0.0}
VERSION_READ_EVERY = 1.0


def content_version() -> int:
    now = time.monotonic()
    if _seen["version"] is not None and now - _seen["at"] < VERSION_READ_EVERY:
        return _seen["version"]
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, VERSION_TIMEOUT)
        version = cache.get(VERSION_KEY, version)
    _seen.update(version=version, at=now)
    return version


# Entries made under one content version never change (a change starts a new version), so each
# process also keeps the ones it has read, as pickles: every read still gets its own fresh copy
# (nothing one request sets on a cached page object reaches the next), without a round trip to
# the shared cache. Dropped whenever the version moves on; at most LOCAL_ENTRIES kept.
_local = {"version": None, "entries": {}}
LOCAL_ENTRIES = 2000


def for_content(key: str, build):
    """``build()``, cached until published content next changes."""
    version = content_version()
    if _local["version"] != version:
        _local.update(version=version, entries={})
    entries = _local["entries"]
    pickled = entries.get(key)
    if pickled is not None:
        return pickle.loads(pickled)  # noqa: S301  (pickled by this process, below)
    full = f"content:{version}:{key}"
    value = cache.get(full, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(full, value, TIMEOUT)
    if len(entries) < LOCAL_ENTRIES:
        entries[key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return value


def forget_local() -> None:
    """Forget what this process noted (the version and its entries): for tests that clear the
    shared cache underneath it."""
    _seen.update(version=None, at=0.0)
    _local.update(version=None, entries={})


def content_changed(**kwargs) -> None:
    """Signal receiver: published content changed, so every content-derived value is stale.
    At once, and again when the transaction commits (see ``records_changed``)."""
    _at_once_and_on_commit(_new_content_version)


def _new_content_version() -> None:
    version = time.time_ns()
    cache.set(VERSION_KEY, version, VERSION_TIMEOUT)
    _seen.update(version=version, at=time.monotonic())
    _local.update(version=version, entries={})


def for_visitors(request, key: str, render):
    """A page for visitors, rendered once per content version: ``render()`` gives the response.
    Only a plain GET by someone with no session and no pending messages is served from the
    cache (anything personal would otherwise be shown to the next visitor)."""
    from django.conf import settings
    from django.http import HttpResponse

    plain = (
        request.method == "GET"
        and not request.GET
        and not getattr(request, "is_preview", False)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )
    if not plain:
        return render()

    def build():
        response = render()
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200 or response.cookies:
            return None
        return (response.content, response["Content-Type"])

    cached = for_content(f"visitors:{key}", build)
    if cached is None:
        return render()
    content, content_type = cached
    return HttpResponse(content, content_type=content_type)


RECORDS_TIMEOUT = 3600


def record_models() -> dict[type, str]:
    """A person's records: every table whose rows belong to one person and feed what their
    dashboard, their supervisor's table or the course pages show about them (declared
    ``in_records`` in its ``personal_data``), with the attribute naming that person. A save or
    deletion of any such row starts a new records version for them (``_record_saved``); writes
    that bypass model signals (bulk inserts, queryset updates) call ``records_changed``
    themselves. Also watched: SupervisorAssignment (``_assignment_changed``: both people)."""
    return {
        model: person_column(model, declaration)
        for model, declaration in declared()
        if declaration.in_records
    }


def records_key(user_id: int) -> str:
    return f"records:{user_id}"


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
    """These people's records changed: everything cached about them, and about the trainees
    of the supervisors they have (a supervisor's records version covers their trainees'), is
    read afresh.

    Outside a transaction the versions move on at once. Inside one, they move on when it
    commits (once, however many writes name the same people; nothing if it rolls back):
    until then other requests go on reading what was committed, and this transaction reads
    under versions of its own, so it sees its own changes (so does a test, whose transaction
    never commits). Each person's supervisors are looked up once per transaction.
    """
    from django.db import transaction

    ids = {int(user_id) for user_id in user_ids if user_id is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(ids | set().union(*supervisors_by_trainee(ids).values()))
        return
    pending = _pending_bump(connection)
    if pending is None:
        pending = connection._psycomp_records_bump = _BumpOnCommit()
        transaction.on_commit(pending)
    looked_up = supervisors_by_trainee([i for i in ids if i not in pending.supervisors])
    pending.supervisors.update(looked_up)
    everyone = set(ids).union(*(pending.supervisors[i] for i in ids))
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
        self.supervisors: dict[int, frozenset[int]] = {}  # looked up in this transaction
        self.local: dict[int, int] = {}

    def __call__(self) -> None:
        _bump(set(self.local))


def _local_versions() -> dict[int, int]:
    from django.db import transaction

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


def supervisors_key(trainee_id: int) -> str:
    return f"supervisors:{trainee_id}"


def supervisors_by_trainee(trainee_ids) -> dict[int, frozenset[int]]:
    """For each trainee, everyone ever assigned to supervise them (past, current or future: a
    few too many is harmless), from the cache, which any change of assignments drops; one
    query for whoever is not in it."""
    from django.apps import apps

    keys = {supervisors_key(trainee_id): trainee_id for trainee_id in trainee_ids}
    if not keys:
        return {}
    found = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    missing = [trainee_id for trainee_id in keys.values() if trainee_id not in found]
    if missing:
        assignments = apps.get_model("supervision.SupervisorAssignment").objects
        by_trainee: dict[int, set[int]] = {trainee_id: set() for trainee_id in missing}
        for trainee_id, supervisor_id in assignments.filter(trainee_id__in=missing).values_list(
            "trainee_id", "supervisor_id"
        ):
            by_trainee[trainee_id].add(supervisor_id)
        looked_up = {t: frozenset(s) for t, s in by_trainee.items()}
        cache.set_many({supervisors_key(t): s for t, s in looked_up.items()}, TIMEOUT)
        found.update(looked_up)
    return found


def _at_once_and_on_commit(bump) -> None:
    from django.db import transaction

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


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


_record_columns: dict[type, str] = {}  # filled by ``connect``


def _record_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login changes nothing anyone is shown
    people = [getattr(instance, _record_columns[sender])]
    if sender._meta.label == "home.User":  # a supervisor's name shows on their trainees' pages
        from django.apps import apps

        assignments = apps.get_model("supervision.SupervisorAssignment").objects
        people += assignments.filter(supervisor_id=instance.pk).values_list("trainee_id", flat=True)
    records_changed(*people)


def _assignment_changed(sender, instance, **kwargs) -> None:
    assignments_changed([(instance.trainee_id, instance.supervisor_id)])


def assignments_changed(pairs) -> None:
    """Supervisors took on or gave up trainees ((trainee id, supervisor id) pairs): both see it
    at once."""
    from django.db import transaction

    pairs = list(pairs)
    trainees = {trainee_id for trainee_id, _ in pairs}
    cache.delete_many([supervisors_key(trainee_id) for trainee_id in trainees])
    pending = _pending_bump(transaction.get_connection())
    if pending is not None:  # what this transaction looked up before is out of date too
        for trainee_id in trainees:
            pending.supervisors.pop(trainee_id, None)
    records_changed(*{person for pair in pairs for person in pair})


def _policy_saved(sender, created=False, **kwargs) -> None:
    if not created:
        content_changed()


def roles_key(user_id: int) -> str:
    return f"roles:{user_id}"


def connect() -> None:
    """Connect ``content_changed`` to what changes published content (``HomeConfig.ready``)."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"content_changed:{id(signal)}")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="content_changed:page")
    # Privacy settings of pages (CachedViewRestrictionsMixin reads them from the cache).
    for signal in (post_save, post_delete):
        signal.connect(
            content_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"content_changed:restriction:{id(signal)}",
        )
    m2m_changed.connect(
        content_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="content_changed:restriction-groups",
    )
    for signal in (post_save, post_delete):
        signal.connect(
            content_changed, sender=Site, dispatch_uid=f"content_changed:site:{id(signal)}"
        )
    # The policy row is created from the defaults the first time anyone reads it: that changes
    # nothing cached, an edit does.
    post_save.connect(
        _policy_saved, sender=apps.get_model("assessments.MasteryPolicy"), dispatch_uid="policy"
    )
    _record_columns.update(record_models())
    for model in _record_columns:
        label = model._meta.label
        for signal in (post_save, post_delete):
            signal.connect(
                _record_saved, sender=model, dispatch_uid=f"records:{label}:{id(signal)}"
            )
    for signal in (post_save, post_delete):
        signal.connect(
            _assignment_changed,
            sender=apps.get_model("supervision.SupervisorAssignment"),
            dispatch_uid=f"records:assignment:{id(signal)}",
        )
        # A cohort's name and dates show in supervisors' filters: rare enough to start afresh.
        signal.connect(
            content_changed,
            sender=apps.get_model("supervision.Cohort"),
            dispatch_uid=f"content_changed:cohort:{id(signal)}",
        )
    for label in (
        "competencies.CompetencyElement",
        "competencies.ClinicalSetting",
        "competencies.PsychosocialFactor",
        "competencies.Intervention",
    ):
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed, sender=model, dispatch_uid=f"content_changed:{label}:{id(signal)}"
            )


class CachedChildRoutesMixin:
    """For pages whose URL has children below it: find the child named by the next part of the
    path in the cache (one entry per parent and slug, the child's specific page) instead of two
    queries per level. Published content only: previews route the ordinary way, and any
    publish, unpublish, move or deletion starts a new content version."""

    def route(self, request, path_components):
        if not path_components or getattr(request, "is_preview", False):
            return super().route(request, path_components)
        slug = path_components[0]
        child = for_content(f"route:{self.pk}:{slug}", lambda: self._child_for_route(slug))
        if child is None:
            from django.http import Http404

            raise Http404
        child._cached_parent_obj = self
        return child.route(request, path_components[1:])

    def _child_for_route(self, slug: str):
        child = self.get_children().filter(slug=slug).first()
        return child.specific if child is not None else None


class CachedViewRestrictionsMixin:
    """Wagtail checks the privacy settings of a page and of its ancestors before serving it:
    two queries on every page view. Here the restrictions that apply to a page are read from
    the cache, until the next change of content or of any page's privacy settings (``connect``).

    The result is still a queryset of ``PageViewRestriction``, holding the cached rows in
    Django's own result cache: iterating it (what serving does) runs no query, and anything
    derived from it (``exists()``, ``order_by()``, as the admin does) asks the database.
    """

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if self.pk is None:
            return super().get_view_restrictions()
        page_ids, rows = for_content(f"restrictions:{self.pk}", self._view_restrictions)
        queryset = PageViewRestriction.objects.filter(page_id__in=page_ids)
        queryset._result_cache = rows
        queryset._prefetch_done = True
        return queryset

    def _view_restrictions(self) -> tuple[list[int], list]:
        """The pages whose restrictions apply (this one and its ancestors, an alias standing
        for its source page, as in Wagtail's ``get_view_restrictions``) and the restrictions."""
        from wagtail.models import PageViewRestriction

        page_ids = set()

        def add(page):
            if page.alias_of_id:
                add(page.alias_of)
            else:
                page_ids.add(page.id)

        add(self)
        for page in self.get_ancestors().only("alias_of"):
            add(page)
        ordered = sorted(page_ids)
        return ordered, list(PageViewRestriction.objects.filter(page_id__in=ordered))
