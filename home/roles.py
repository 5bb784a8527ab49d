"""The four roles of the platform, as Django groups created by a data migration.

Who calls this: views and templates that need to know what a person may see. A user may hold
several roles (an educator who also supervises); each role adds, none takes away.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser


class Role(StrEnum):
    TRAINEE = "Trainees"
    SUPERVISOR = "Supervisors"
    EDUCATOR = "Educators"
    ADMINISTRATOR = "Administrators"


_CACHE_ATTR = "_psycomp_roles"


def roles_of(user) -> frozenset[Role]:
    """The roles a user holds: from the cache (dropped when their groups change), else one
    query; kept on the user object for the rest of the request."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from django.core.cache import cache

        from .caching import roles_key

        names = cache.get(roles_key(user.pk))
        if names is None:
            names = frozenset(user.groups.values_list("name", flat=True))
            cache.set(roles_key(user.pk), names, 3600)
        cached = frozenset(role for role in Role if role.value in names)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_role(user, *roles: Role) -> bool:
    """True when the user holds at least one of ``roles``."""
    return bool(roles_of(user) & set(roles))


def is_educator_or_administrator(user) -> bool:
    """Educators, administrators and superusers: who authors content and reads its reports."""
    return bool(user.is_superuser or has_role(user, Role.EDUCATOR, Role.ADMINISTRATOR))


def can_use_admin(user) -> bool:
    """Only educators and administrators (and superusers) may reach the Wagtail admin.

    People with neither role are answered from the cached roles, without a permissions query.
    """
    if not (user and user.is_authenticated):
        return False
    if not is_educator_or_administrator(user):
        return False
    return user.has_perm("wagtailadmin.access_admin")
