"""Page mixins that read what every page view would otherwise query, from the content cache:
the child a URL names, and the privacy settings (view restrictions) that apply to a page.
Used by the page models of every app; they hold published content only, so any change of it
(``content_changed``) starts them afresh."""

from django.http import Http404
from wagtail.models import PageViewRestriction

from .content import for_content


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
