"""Admin screens for assessment rules that are data (the band-to-step mapping); the mastery
policy is a site setting under Settings."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import StepOfCareMapping


class StepOfCareMappingViewSet(SnippetViewSet):
    model = StepOfCareMapping
    icon = "list-ol"
    menu_label = "Steps of care"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["instrument", "band", "step", "suggestion"]
    list_filter = ["instrument"]


register_snippet(StepOfCareMappingViewSet)
