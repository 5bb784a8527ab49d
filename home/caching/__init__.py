"""Values that every request would otherwise read again, kept in the cache until what they
depend on changes: published content (page titles, the tree, catalogues, the mastery policy,
lesson bodies), a person's records (what their dashboards show) and a person's roles.

Modules, each importing only those before it:

- ``content``: the content version, ``for_content``, ``content_changed`` and ``for_visitors``;
- ``records``: per-person records versions, ``for_records``, ``records_changed`` and the hook
  by which an app says who sees whom (``register_viewing``, ``viewing_changed``);
- ``pages``: page mixins reading routes and privacy settings from the content cache;
- ``signals``: what the shell connects itself (``connect``, from ``HomeConfig.ready``).

The shell names no domain app: which tables are a person's records comes from their
``personal_data`` declarations, and each domain app connects its own tables to
``content_changed``, ``records_changed`` and ``viewing_changed`` from its ``AppConfig.ready``.
"""

from .content import (
    CACHE_FORMAT,
    TIMEOUT,
    VERSION_KEY,
    VERSION_TIMEOUT,
    content_changed,
    content_version,
    for_content,
    for_visitors,
    forget_local,
)
from .pages import CachedChildRoutesMixin, CachedViewRestrictionsMixin
from .records import (
    RECORDS_TIMEOUT,
    for_records,
    for_records_many,
    record_models,
    records_changed,
    records_key,
    records_versions,
    register_viewing,
    roles_key,
    viewers_of,
    viewing_changed,
)
from .signals import connect, on_save_or_delete

__all__ = [
    "CACHE_FORMAT",
    "RECORDS_TIMEOUT",
    "TIMEOUT",
    "VERSION_KEY",
    "VERSION_TIMEOUT",
    "CachedChildRoutesMixin",
    "CachedViewRestrictionsMixin",
    "connect",
    "content_changed",
    "content_version",
    "for_content",
    "for_records",
    "for_records_many",
    "for_visitors",
    "forget_local",
    "on_save_or_delete",
    "record_models",
    "records_changed",
    "records_key",
    "records_versions",
    "register_viewing",
    "roles_key",
    "viewers_of",
    "viewing_changed",
]
