"""The admin's "Catalogues" menu: the competency framework and taxonomies as snippets."""

from django.core.exceptions import ValidationError
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail.snippets.widgets import AdminSnippetChooser

from .models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor


class TolerantSnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser, for an editor form sent back with an id that is not a number:
    the field shows nothing chosen and the form's own error says why, where Wagtail's widget
    fails to render (a 500) while looking the id up."""

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError, ValidationError):
            return None


class CatalogueChooserViewSet(SnippetChooserViewSet):
    base_widget_class = TolerantSnippetChooser


class CatalogueViewSet(SnippetViewSet):
    """A catalogue (factors, interventions, elements, settings) that pages and questions refer
    to; its chooser in the page editor is the tolerant one above."""

    chooser_viewset_class = CatalogueChooserViewSet


class PsychosocialFactorViewSet(CatalogueViewSet):
    model = PsychosocialFactor
    icon = "user"
    menu_label = "Psychosocial factors"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "definition"]


class InterventionViewSet(CatalogueViewSet):
    model = Intervention
    icon = "cogs"
    menu_label = "Interventions"
    list_display = ["name", "kind", "intensity"]
    list_filter = ["kind", "intensity"]
    search_fields = ["name", "summary"]


class CompetencyElementViewSet(CatalogueViewSet):
    model = CompetencyElement
    icon = "tick-inverse"
    menu_label = "Competency elements"
    list_display = ["order", "code", "name"]


class ClinicalSettingViewSet(CatalogueViewSet):
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
