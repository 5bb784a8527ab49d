"""Parts of the dashboard that apps above progress contribute, without progress importing them.

Supervision sits above progress: the trainee's supervisors, their sign-off request and a
supervisor's list of trainees are supervision's to show, on progress's page. Each such part is
a ``Panel``, returned by a function registered with the Wagtail hook ``progress_dashboard_panels``
(in the contributing app's ``wagtail_hooks.py``, ordered by the hook's ``order``)::

    @hooks.register("progress_dashboard_panels")
    def sign_off_request_panel():
        return Panel(place=Panel.READINESS, template="...", context=sign_off_panel_context)

Register one to add something to the dashboard; the dashboard view (``progress.views``) calls
``shown`` to collect them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail import hooks

HOOK = "progress_dashboard_panels"


@dataclass(frozen=True)
class Panel:
    """One contributed part of the dashboard: where it goes, its template (which sees the
    context as ``panel``) and the function that builds that context, or returns None when the
    panel has nothing to show for this person.

    ``READINESS`` (in the "Ready for sign-off?" box, under the verdict) and ``TRAINEE`` (at the
    end of the trainee's section) are part of the trainee's cached section: ``context`` is
    called as ``context(user=..., progress=...)`` (``progress.selectors.trainee_progress``) and
    may read only that person's records, published content and the date, as the section is
    kept until one of those changes (``home.fragments``; a ``{% csrf_token %}`` in it is filled
    in per request). ``PAGE`` panels are sections of their own after the trainee's, for
    anyone: ``context(request=...)``, called on every visit.
    """

    READINESS = "readiness"
    TRAINEE = "trainee"
    PAGE = "page"

    place: str
    template: str
    context: Callable[..., dict | None]


def panels_at(place: str) -> list[Panel]:
    """The registered panels for ``place``, in hook order."""
    found = (hook() for hook in hooks.get_hooks(HOOK))
    return [panel for panel in found if panel.place == place]


def shown(place: str, **arguments) -> list[dict]:
    """The panels for ``place`` that have something to show for ``arguments``, each as its
    template and context, for the dashboard's templates to include."""
    shown = []
    for panel in panels_at(place):
        context = panel.context(**arguments)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown
