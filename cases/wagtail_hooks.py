"""The cases' link on the visitors' home page (``home.models.visitor_links``)."""

from wagtail import hooks

from home.caching import for_content

from . import search
from .models import CaseIndexPage


def _links() -> list[dict]:
    index = CaseIndexPage.objects.live().public().first()
    if index is None:
        return []
    return [{"url": index.url, "text": "Browse the practice cases: settings and roles"}]


@hooks.register("home_visitor_links", order=20)
def visitor_links():
    return for_content("visitor-links:cases", _links)


@hooks.register("site_search")
def case_search(*, query: str, user, limit: int):
    return search.case_results(query=query, user=user, limit=limit)
