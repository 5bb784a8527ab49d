"""Site-wide Wagtail hooks of the shell: the members-only rule for every page type that asks
for it (``home.members.MembersOnlyMixin``)."""

from django.contrib.auth.views import redirect_to_login
from wagtail import hooks

from .members import MembersOnlyMixin


@hooks.register("before_serve_page")
def members_only(page, request, serve_args, serve_kwargs):
    """Visitors who are not logged in may open only pages marked open to visitors."""
    members_only_page = isinstance(page, MembersOnlyMixin) and not page.open_to_visitors
    if members_only_page and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None
