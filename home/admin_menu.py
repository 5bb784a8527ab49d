"""Admin menu items for educators and administrators only (their views refuse everyone else)."""

from wagtail.admin.menu import MenuItem

from .roles import is_educator_or_administrator


class EducatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_educator_or_administrator(request.user)
