"""The seeded course: big enough, well formed, and every page renders for a trainee."""

import pytest
from django.utils.html import strip_tags

from competencies.models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor
from curriculum.models import LessonPage, ModulePage

pytestmark = pytest.mark.django_db


def test_course_and_catalogues_meet_the_minimum_size(seeded):
    assert ModulePage.objects.live().count() >= 7
    assert LessonPage.objects.live().count() >= 25
    assert PsychosocialFactor.objects.count() >= 25
    assert Intervention.objects.count() >= 20
    assert set(CompetencyElement.objects.values_list("code", flat=True)) == {
        "recognise-psychological", "recognise-social", "elicit", "identify", "match-intensity",
    }  # fmt: skip
    assert ClinicalSetting.objects.count() >= 9
    assert set(PsychosocialFactor.objects.values_list("kind", flat=True)) == {
        "psychological", "social",
    }  # fmt: skip
    assert all(i.targets.exists() for i in Intervention.objects.prefetch_related("targets"))


def test_every_lesson_names_elements_and_asks_the_trainee_to_think(seeded):
    for lesson in LessonPage.objects.live():
        kinds = {block.block_type for block in lesson.body}
        assert kinds & {"reflection", "worked_example"}, lesson.title
        assert lesson.elements.exists(), lesson.title
    assert LessonPage.objects.filter(taster=True).count() == 1


def test_the_feedback_loop_figure_is_in_the_course(seeded):
    assert any(
        block.block_type == "feedback_loop"
        for lesson in LessonPage.objects.live()
        for block in lesson.body
    )


def test_every_seeded_page_renders_for_a_trainee(client, seeded, trainee):
    client.force_login(trainee)
    pages = ["/course/"] + [p.url for p in ModulePage.objects.live()]
    pages += [p.url for p in LessonPage.objects.live()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_seeding_twice_changes_nothing(seeded):
    from django.core.management import call_command

    def snapshot():
        return (
            list(LessonPage.objects.values_list("id", "latest_revision_id").order_by("id")),
            PsychosocialFactor.objects.count(),
            Intervention.objects.count(),
        )

    before = snapshot()
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    assert snapshot() == before


def test_visitors_get_the_taster_and_nothing_else(client, seeded):
    taster = LessonPage.objects.get(taster=True)
    assert client.get(taster.url).status_code == 200
    html = client.get(taster.url).content.decode()
    assert "This lesson is a free taster." in html
    # The syllabus (/course/) is open to visitors (tests/home/test_visitors_first_look.py);
    # the modules and every other lesson are not, and the syllabus shows no lesson's body.
    syllabus = client.get("/course/")
    assert syllabus.status_code == 200
    others = LessonPage.objects.live().exclude(pk=taster.pk)[:5]
    html = " ".join(strip_tags(syllabus.content.decode()).split())
    for lesson in others:
        kinds = ("rich_text", "markdown")
        texts = [strip_tags(str(b.value)) for b in lesson.body if b.block_type in kinds]
        paragraph = max((p for t in texts for p in t.split("\n\n")), key=len, default="")
        sample = " ".join(paragraph.split())[:80]
        assert len(sample) > 40 and sample not in html, lesson.title
    for url in [ModulePage.objects.first().url, *(p.url for p in others)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/accounts/login/?next="), url
