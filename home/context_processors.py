"""Template context every page needs: the current person's roles (one cached query)."""

from .roles import Role, can_use_admin, roles_of


def roles(request):
    user = getattr(request, "user", None)
    held = roles_of(user) if user is not None else frozenset()
    return {
        "user_roles": held,
        "is_trainee": Role.TRAINEE in held,
        "is_supervisor": Role.SUPERVISOR in held,
        "is_educator": Role.EDUCATOR in held,
        "is_administrator": Role.ADMINISTRATOR in held,
        "can_use_admin": (lambda: can_use_admin(user)),
    }
