"""The site's search, shared by the apps (the shell owns the shape): each result says its kind.

The curriculum's search view (``curriculum.selectors.search_site``) finds its own pages and the
catalogue entries, then asks the apps above it through the Wagtail hook ``site_search``: each
registered function is called as ``function(query=words, user=user, limit=limit)`` and returns
the ``SearchResult``s this person may open (none of a members-only kind for visitors).
"""

from dataclasses import dataclass

SEARCH_HOOK = "site_search"


@dataclass(frozen=True)
class SearchResult:
    """One search result: its kind (said beside it), title, address (empty for a catalogue
    entry, whose text is shown in full in the results) and a short text."""

    kind: str
    title: str
    url: str = ""
    summary: str = ""
