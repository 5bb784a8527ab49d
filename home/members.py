"""The members-only rule shared by every page type of the course (the shell owns it)."""


class MembersOnlyMixin:
    """Pages for logged-in people (lessons, quizzes, cases); ``open_to_visitors`` marks a
    public taster. Override ``open_to_visitors`` to open a page.

    Enforced by the ``before_serve_page`` hook in ``home/wagtail_hooks.py`` for every route, and
    by the search selector, so titles of members-only pages never reach visitors.
    """

    @property
    def open_to_visitors(self) -> bool:
        return False


# Documents in this collection (made by migration home 0009), or in one inside it, are open to
# visitors; every other document needs a login (``home/wagtail_hooks.py``).
PUBLIC_DOCUMENTS = "Public documents"
