"""The cases' part of the site's search (``curriculum.selectors.search_site``, through the
Wagtail hook ``site_search`` registered in ``wagtail_hooks``): members find the cases they can
play; visitors, who cannot play them, find none."""

from home.search import SearchResult

from .models import CaseVignettePage


def case_results(*, query: str, user, limit: int) -> list[SearchResult]:
    if not user.is_authenticated:
        return []
    found = CaseVignettePage.objects.live().public().search(query)[:limit]
    return [SearchResult("Case", case.title, case.url, case.patient_summary) for case in found]
