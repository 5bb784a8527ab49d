"""The quiz every dashboard test takes (the same one as tests/assessments)."""

import pytest

from tests.assessments.conftest import build_quiz


@pytest.fixture
def quiz(db):
    return build_quiz()
