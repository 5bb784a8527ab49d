"""Each node kind has its own template for the play form and for the feedback, chosen by name in
the selectors; the page templates hold no chain of conditions over kinds."""

import pytest
from django.template.loader import get_template

from cases import engine

PLAYED = [kind for kind in engine.KINDS if kind != "ending"]
WITH_FEEDBACK = [kind for kind in PLAYED if kind != "scene"]


@pytest.mark.parametrize("kind", PLAYED)
def test_every_kind_a_trainee_answers_has_a_form_template(kind):
    source = get_template(f"cases/nodes/{kind}.html").template.source
    assert "{% extends" in source


@pytest.mark.parametrize("kind", WITH_FEEDBACK)
def test_every_kind_with_feedback_has_a_feedback_template(kind):
    assert get_template(f"cases/feedback/{kind}.html")


@pytest.mark.parametrize("name", ["cases/play.html", "cases/feedback.html"])
def test_the_page_templates_choose_no_kind_themselves(name):
    source = get_template(name).template.source
    assert "kind ==" not in source
    assert "{% include node_template %}" in source or "{% include feedback_template %}" in source
