"""Every shipped lesson, quiz and case names who keeps it current and when it was and will next be
reviewed (issue 16), in a ``review`` block straight after its slug, passing the rule the editor
and the imports share (``home.review``). No database needed."""

import datetime

import pytest

from home.review import review_from_spec

from .files import MODULES, QUIZZES, VIGNETTES, load_yaml

pytestmark = pytest.mark.nodb

SHIPPED = sorted(
    [p for p in MODULES.glob("*/*.yaml") if p.name != "module.yaml"]
    + list(QUIZZES.glob("*.yaml"))
    + list(VIGNETTES.glob("*.yaml"))
)


def test_the_shipped_files_are_all_found():
    assert len(SHIPPED) >= 30 + 8 + 22


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_each_file_has_a_valid_review_block_after_its_slug(path):
    fields = review_from_spec(load_yaml(path), path.name)  # raises, naming the file
    assert "," in fields["review_owner"], "a named person and their role or team"
    assert fields["last_reviewed"].year == 2026
    lines = path.read_text(encoding="utf-8").splitlines()
    slug = next(i for i, line in enumerate(lines) if line.startswith("slug:"))
    assert lines[slug + 1] == "review:", "the block goes straight after the slug"


def test_some_reviews_fall_due_and_say_why():
    """The few reviews set short carry a comment saying why, so the report has work to show."""
    short = []
    for path in SHIPPED:
        fields = review_from_spec(load_yaml(path), path.name)
        if fields["next_review"] - fields["last_reviewed"] < datetime.timedelta(days=360):
            short.append(path)
            block = path.read_text(encoding="utf-8").split("review:", 1)[1].split("\n", 5)
            assert any(line.strip().startswith("#") for line in block[:4]), path.name
    assert 2 <= len(short) <= 5
