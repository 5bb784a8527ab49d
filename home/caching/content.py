"""Published content, cached under one version that any change of it replaces.

Content-derived values (page titles, the tree, catalogues, the mastery policy, rendered lesson
bodies) live under a version number that any publish, unpublish, move or deletion of a page,
and any save of a catalogue, the policy, an image or a document, replaces (``content_changed``:
the shell connects Wagtail's signals in ``home.caching.signals``, each domain app its own tables
from its ``AppConfig.ready``); old entries are simply never read again. Pages for visitors
(``for_visitors``) are kept under it too.
"""

import pickle
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

# The shape of what is cached. Change it whenever a cached value changes shape (a new field, a
# tuple turned into a dict, a cached class moved: a pickle names its module and a model's app):
# the release then starts from an empty content cache (and so an empty records cache, whose
# keys carry the content version) instead of reading values that the previous code wrote.
CACHE_FORMAT = 3  # 3: the mastery policy and the catalogues moved (test_upgrade_rehearsal.py)
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


def _at_once_and_on_commit(bump) -> None:
    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)
