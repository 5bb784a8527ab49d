"""The seeded bank passes ``manage.py check_content`` (issue 15): no cue pattern a test-wise
trainee could use survives in the quizzes and cases that ship. The command's own tests
(tests/cases/test_check_content.py) show it failing on a deliberately cued bank."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.nodb


def test_the_seeded_quizzes_and_cases_have_no_cue_pattern():
    out = io.StringIO()
    call_command("check_content", stdout=out)  # raises CommandError on any failing check
    report = out.getvalue()
    assert "FAIL" not in report and "no cue pattern found" in report
    for check in ("longest-key", "same-count", "same-harm", "harm-count", "absolutes"):
        assert f"ok {check}" in report, check
