"""Admin menus for the catalogues, and the members-only rule for curriculum pages."""

from django.contrib.auth.views import redirect_to_login
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor
from .models.pages import MembersOnlyMixin


class PsychosocialFactorViewSet(SnippetViewSet):
    model = PsychosocialFactor
    icon = "user"
    menu_label = "Psychosocial factors"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "definition"]


class InterventionViewSet(SnippetViewSet):
    model = Intervention
    icon = "cogs"
    menu_label = "Interventions"
    list_display = ["name", "kind", "intensity"]
    list_filter = ["kind", "intensity"]
    search_fields = ["name", "summary"]


class CompetencyElementViewSet(SnippetViewSet):
    model = CompetencyElement
    icon = "tick-inverse"
    menu_label = "Competency elements"
    list_display = ["order", "code", "name"]


class ClinicalSettingViewSet(SnippetViewSet):
    model = ClinicalSetting
    icon = "site"
    menu_label = "Clinical settings"
    list_display = ["name", "slug"]


class CataloguesViewSetGroup(SnippetViewSetGroup):
    """Everything lessons, quizzes and vignettes refer to, under one "Catalogues" menu."""

    menu_label = "Catalogues"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (
        PsychosocialFactorViewSet,
        InterventionViewSet,
        CompetencyElementViewSet,
        ClinicalSettingViewSet,
    )


register_snippet(CataloguesViewSetGroup)


@hooks.register("before_serve_page")
def members_only(page, request, serve_args, serve_kwargs):
    """Visitors who are not logged in may open only pages marked open to visitors."""
    members_only_page = isinstance(page, MembersOnlyMixin) and not page.open_to_visitors
    if members_only_page and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None
