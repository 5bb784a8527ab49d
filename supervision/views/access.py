"""Who may open the supervisor's screens: the decorator every one of them wears."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from home.roles import Role, has_role


def supervisor_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, Role.SUPERVISOR):
            raise PermissionDenied("This page is for supervisors.")
        return view(request, *args, **kwargs)

    return wrapped
