"""The originality check (issue 16): no run of eight words of the product's text is shared with
the source documents, except marked quotations. Run in `make test` (no database)."""

import pytest

from .originality import (
    ROOT,
    content_files,
    shared_runs,
    shingle_hashes,
    source_hashes,
    words,
)

pytestmark = pytest.mark.nodb

SEEDS = ROOT.parent / "shared" / "seeds"


def test_no_content_shares_eight_words_in_a_row_with_the_sources():
    sources = source_hashes()
    files = content_files()
    assert len(files) > 60  # lessons, modules, quizzes, vignettes, catalogues
    copied = {}
    for path in files:
        found = shared_runs(path.read_text(encoding="utf-8"), sources)
        if found:
            copied[str(path.relative_to(ROOT))] = found
    assert copied == {}, "Rewrite these in our own words (or quote and attribute them)."


def test_the_stored_hashes_are_the_sources_runs():
    stored = source_hashes()
    assert len(stored) > 2000  # two documents of some thousands of words
    if SEEDS.is_dir():  # beside a working checkout; a fresh clone elsewhere has only the hashes
        computed = set()
        for path in SEEDS.glob("*.txt"):
            computed |= shingle_hashes(words(path.read_text(encoding="utf-8")))
        assert computed == stored, "The sources changed: run scripts/seed_shingles.py"


def test_the_check_finds_a_copied_run_and_spares_a_marked_quotation():
    source = "The clinician should be able to assess for and recognise the presence of factors"
    sources = shingle_hashes(words(source))
    copied = "Every clinician should be able to assess for and recognise the presence of stress."
    assert shared_runs(copied, sources) == [
        "clinician should be able to assess for and",
        "should be able to assess for and recognise",
        "be able to assess for and recognise the",
        "able to assess for and recognise the presence",
        "to assess for and recognise the presence of",
    ]
    assert shared_runs("Able to assess, for and recognise the... no.", sources) == []
    quoted = 'Their statement: "should be able to assess for and recognise the presence" (2020).'
    assert shared_runs(quoted, sources) == []
    curly = "Their statement: “should be able to assess for and recognise the presence”."
    assert shared_runs(curly, sources) == []
    seven = "be able to assess for and recognise"  # seven words: not a run
    assert shared_runs(seven, sources) == []
