"""The clinical corrections of issue 16, pinned in the shipped content files so that a later edit
cannot quietly undo them. Each test names its correction. No database needed: these read the
YAML that ``seed_demo`` imports (the seeding tests check that it imports)."""

import re
from pathlib import Path

from .files import CATALOGUES, MODULES, QUIZZES, VIGNETTES
from .files import load_yaml as _yaml


def _vignette(number: str) -> dict:
    (path,) = VIGNETTES.glob(f"{number}-*.yaml")
    return _yaml(path)


def _node(spec: dict, node_id: str) -> dict:
    return next(n for n in spec["nodes"] if n["id"] == node_id)


def _nodes(spec: dict, kind: str) -> list[dict]:
    return [n for n in spec["nodes"] if n["kind"] == kind]


def _ratings(spec: dict) -> dict[str, str]:
    """Every intervention rated anywhere in the case, with its rating (one identify node each)."""
    return {o["intervention"]: o["rating"] for n in _nodes(spec, "identify") for o in n["options"]}


def _text(spec) -> str:
    return " ".join(str(spec).split())


# 1. Trauma-focused therapy is not harmful; same-day debriefing is, as its own entry.
def test_1_v08_rates_debriefing_harmful_and_trauma_focused_therapy_for_later():
    spec = _vignette("08")
    ratings = _ratings(spec)
    assert ratings["psychological-debriefing"] == "harmful"
    assert ratings["trauma-focused-therapy"] != "harmful"
    therapy = next(
        o
        for n in _nodes(spec, "identify")
        for o in n["options"]
        if o["intervention"] == "trauma-focused-therapy"
    )
    assert "about a month" in therapy["feedback"]
    ending = " ".join(_node(spec, "ending-good")["body"].split())
    assert "about a month" in ending


def test_1_psychological_debriefing_is_its_own_catalogue_entry():
    entries = {i["slug"]: i for i in _yaml(CATALOGUES / "interventions.yaml")}
    debriefing = entries["psychological-debriefing"]
    assert "not recommended" in debriefing["summary"]
    assert "NG116" in debriefing["evidence"]


# 2. Ken's new exertional chest pain: a doctor today, and a plan for Dot.
def test_2_v02_sends_new_exertional_chest_pain_for_same_day_assessment():
    spec = _vignette("02")
    disclosure = next(
        o for o in _node(spec, "carer-questions")["options"] if o["id"] == "ask-ken-how"
    )
    feedback = " ".join(disclosure["feedback"].split())
    assert "today" in feedback and "stay with Dot" in feedback
    team = " ".join(_node(spec, "support-plan")["body"].split())
    assert "saw him that afternoon" in team and "sat with Dot" in team
    plan = next(o for o in _node(spec, "plan-decide")["options"] if o["id"] == "plan-together")
    assert "care for Dot if he is admitted" in plan["label"]
    assert "a GP appointment for Ken's chest pain" not in _text(spec)


def _lesson(module: str, lesson: str) -> str:
    (path,) = MODULES.glob(f"{module}-*/{lesson}-*.yaml")
    return " ".join(path.read_text(encoding="utf-8").split())


# 3. NG222 is the current guideline for the band-to-step mapping; CG90 is history.
def test_3_the_default_band_to_step_mapping_cites_ng222_and_calls_cg90_history():
    from assessments.seed import STEP_SOURCE

    assert "NG222 (2022)" in STEP_SOURCE and "CG90 (2009) is history" in STEP_SOURCE
    assert "a PHQ-9 of 15 is moderately severe by band but less severe" in STEP_SOURCE
    assert len(STEP_SOURCE) <= 300  # StepOfCareMapping.source


def test_3_lessons_and_v06_name_ng222_and_the_split_at_16():
    assert "NICE, 2022 (NG222" in _lesson("05", "01")
    assert "CG90, the older stepped-care model, now history" in _lesson("05", "01")
    for text in (_lesson("05", "02"), _lesson("07", "04")):
        assert "NG222" in text and "15" in text and "less severe" in text
    v06 = _text(_vignette("06"))
    assert "follows the NICE stepped-care model" not in v06
    assert "a common local convention" in v06
    assert "NICE, 2009 (CG90);" not in v06


# 4. Stratified care stratifies on a risk estimate from several factors, not current severity.
def test_4_v07_stratifies_on_a_risk_estimate_from_several_factors():
    spec = _vignette("07")
    body = " ".join(_node(spec, "plan-matched")["body"].split())
    for factor in ("anxiety scores", "pain and fatigue", "beliefs", "confidence", "support"):
        assert factor in body, factor
    assert "medium risk" in body
    text = _text(spec)
    assert "matches the intensity of support to the person's level of need" not in text
    assert "stratified to her moderate level of need" not in text


# 5. The loop lesson's text describes the starting values its figure actually uses.
def test_5_m3_2_text_matches_the_figure_it_describes():
    (path,) = MODULES.glob("03-*/02-*.yaml")
    lesson = _yaml(path)
    (figure,) = [b["value"] for b in lesson["body"] if b["type"] == "feedback_loop"]
    text = " ".join(" ".join(str(b["value"]) for b in lesson["body"]).split())
    agitation, stress = figure["initial_agitation"], figure["initial_stress"]
    assert f"agitation at {agitation:g} and the carer's stress at {stress:g} out of 10" in text
    assert "Starting from a fairly calm 2 out of 10" not in text


# 6. The fatigue review's benefit is small, on low-to-moderate evidence; a mechanism is hedged.
def test_6_the_ra_fatigue_review_is_reported_as_a_small_benefit_of_modest_quality():
    for module, lesson in (("01", "03"), ("02", "04"), ("07", "02")):
        text = _lesson(module, lesson)
        assert "small benefit" in text and "low to moderate quality" in text, (module, lesson)
    assert "concluded that psychosocial approaches can ease fatigue" not in _lesson("01", "03")
    m6_3 = _lesson("06", "03")
    assert "plausible explanation rather than a tested one" in m6_3
    assert "Trauma leaves the stress system on high alert" not in m6_3


# 7. One story on depression in MS, OCCAM as published, a stray sentence, kinder wording.
def test_7_v12_and_m7_2_explain_their_different_conventions_for_depression_in_ms():
    v12 = " ".join(_node(_vignette("12"), "choose-support")["body"].split())
    assert "This course's default starts a moderate score at step 2" in v12
    assert "Both are reasonable conventions" in v12
    assert "Some services start one step higher" in _lesson("07", "02")


def test_7_smaller_fixes():
    assert "eight areas" not in _lesson("08", "02")
    (quiz,) = QUIZZES.glob("04-*.yaml")
    assert quiz.read_text(encoding="utf-8").count("Return-to-work support suits someone") == 1
    factors = (CATALOGUES / "factors.yaml").read_text(encoding="utf-8")
    assert "elderly" not in factors and "her older neighbour" in factors
    v10 = _text(_vignette("10"))
    assert "What's making this so hard is how worried you are" not in v10
    assert "Your pain is real" in v10


# 8. Endings reached on a recording that is not hers say what her answers *would* show.
def test_8_v10_endings_without_her_exact_answers_say_would_place():
    spec = _vignette("10")
    for ending in ("ending-low", "ending-medium", "ending-scan"):
        body = " ".join(_node(spec, ending)["body"].split())
        assert "would place her at high risk" in body or "would have placed her" in body, ending
        assert "answers place her" not in body, ending


# 9. Content notes where item 9, a wish to be dead or trauma comes up; sources; no bare quote.
def _first_block(module: str, lesson: str) -> dict:
    (path,) = MODULES.glob(f"{module}-*/{lesson}-*.yaml")
    return _yaml(path)["body"][0]


def test_9_content_notes_open_the_lessons_quiz_and_case_that_need_them():
    for module, lesson in (("05", "02"), ("06", "01"), ("06", "04")):
        block = _first_block(module, lesson)
        assert block["type"] == "key_point" and block["value"]["heading"] == "Content note"
    (quiz,) = QUIZZES.glob("01-*.yaml")
    assert "Content note" in _yaml(quiz)["intro"]
    assert "thoughts of death or self-harm" in _vignette("12")["content_note"]


def test_9_m8_1_and_m6_4_name_sources_and_m8_1_quotes_no_unattributed_statement():
    for module, lesson in (("08", "01"), ("06", "04")):
        assert "Sources:" in _lesson(module, lesson), (module, lesson)
    assert "> Able to assess for" not in _lesson("08", "01")


# 10. Passages that followed the source's sentences are rewritten in our own structure.
def test_10_passages_close_to_the_source_are_rewritten():
    gone = {
        ("08", "04"): (
            "Loneliness has no standard remedy",
            "Your research and scholarship skills apply here",
            "try to get a feel for the character and outlook",
        ),
        ("07", "03"): ("Nobody has run a randomised trial comparing a prosthetic leg",),
        ("08", "01"): (
            "The biopsychosocial model has three parts, and two of them are psychosocial",
            "They are hard to put into words",
            "psychosocial competence overlaps almost completely with being good at rehabilitation",
        ),
        ("06", "01"): ("to give back small pieces of the safety and control that were lost",),
    }
    for (module, lesson), phrases in gone.items():
        text = _lesson(module, lesson)
        for phrase in phrases:
            assert phrase not in text, (module, lesson, phrase)
    assert "The reasons sit at three levels." in _lesson("08", "01")


# 12. Legitimate clinical questions in ask nodes are right picks, not wrong ones.
def test_11_one_name_one_life():
    """Kwame Asante (psychosis, M4-1) no longer also has a knee reconstruction (M7-1)."""
    lessons = [p for p in MODULES.rglob("*.yaml") if "Kwame Asante" in p.read_text("utf-8")]
    assert [p.parent.name[:2] for p in lessons] == ["04"]
    assert "Dylan Pryce is 27" in _lesson("07", "01")


def test_12_legitimate_clinical_questions_are_not_scored_as_wrong_picks():
    legitimate = {
        "01": ("first-questions", ("ask-hours", "ask-allergies")),
        "05": ("first-questions", ("ask-tablets",)),
        "06": ("first-questions", ("ask-thyroid",)),
        "07": ("work-questions", ("ask-splints",)),
        "10": ("first-questions", ("ask-pain-score",)),
    }
    for number, (node_id, option_ids) in legitimate.items():
        options = {o["id"]: o for o in _node(_vignette(number), node_id)["options"]}
        for option_id in option_ids:
            assert options[option_id]["relevant"] is True, (number, option_id)
        # Each node keeps at least one truly unhelpful question as a wrong pick.
        assert any(not o["relevant"] for o in options.values()), number


def _product_files() -> list[Path]:
    return sorted(
        p for folder in (VIGNETTES, QUIZZES, MODULES, CATALOGUES) for p in folder.rglob("*.yaml")
    )


def test_11_no_story_repeated_across_the_course():
    """One school cook (V10's Sharon), one Marcus (V04), one Tomasz Nowak (M2-2), and the
    cardiac examples are different people with different operations and lives."""
    files = {p: p.read_text("utf-8") for p in _product_files()}
    kitchens = [
        p.name
        for p, text in files.items()
        if re.search(r"school (kitchen|cook|dinners)|dinner lad", text, re.IGNORECASE)
    ]
    assert kitchens == ["10-low-back-pain-start-back.yaml"]
    for name, home in (
        ("Marcus", "04-schizophrenia-employment.yaml"),
        ("Tomasz Nowak", "02-what-you-teach-and-how.yaml"),
    ):
        assert [p.name for p, text in files.items() if name in text] == [home], name
    assert "Lorna Fairbairn is 73" in _lesson("04", "03")
    assert "Gwen Pritchard is 66" in _lesson("05", "01")
    assert "Rajesh" not in _lesson("04", "03") and "Ravi" not in _lesson("05", "01")
    assert "lives with her husband, Stan" in _lesson("08", "03")


def _leaves(value) -> list[str]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [str(value)]


def _scenes() -> list[tuple[str, str]]:
    """Each story the course tells, as (where, text): a quiz question, a lesson block, a whole
    case, or one sentence of a catalogue entry (each example there is its own small story). A
    scene is the unit a reader meets, so a phrase in a lesson's general text and a patient
    named in the next block are not run together."""
    scenes = []
    for path in _product_files():
        data = _yaml(path)
        if path.is_relative_to(QUIZZES):
            parts = [(q["key"], q) for q in data["questions"]]
        elif path.is_relative_to(MODULES) and isinstance(data, dict) and "body" in data:
            parts = [(str(n), block) for n, block in enumerate(data["body"])]
        elif isinstance(data, list):
            parts = [
                (f"{entry.get('slug', n)}", leaf)
                for n, entry in enumerate(data)
                for leaf in _leaves(entry)
            ]
        else:
            parts = [("", data)]
        scenes += [(f"{path.name}#{where}", _text(part)) for where, part in parts]
    return scenes


DEMENTIA = re.compile(r"dementia|alzheimer", re.IGNORECASE)
ASKS_TO_GO_HOME = re.compile(
    r"\b(ask(s|ed|ing)?|wants?|want(ed|ing)|must|needs? to|tr(y|ies|ying) to|begs?)\b"
    r"[^.!?]{0,25}?\bgo(ing)? (back )?home\b",
    re.IGNORECASE,
)
HIP_FRACTURE = re.compile(r"hip fracture|broken hip|broke (his|her) hip|fractured hip", re.I)
LIVES_ALONE = re.compile(r"\b(he|she|who|and) (has )?(lives|lived|has lived|living) alone\b", re.I)


def test_11_asking_to_go_home_and_living_alone_after_a_hip_fracture_are_told_twice_at_most():
    """The reviewer met about ten dementia scenes of a spouse correcting "I must go home" and
    five people going home alone after a hip fracture. Margaret (M3-1, M3-2) is now the one
    person with dementia who asks to go home, and Dot (V02) the one who sets off to collect
    her children; Pearl (V11) and Walter (M1-1) are the two who live alone after a hip
    fracture."""
    scenes = _scenes()
    go_home = [w for w, text in scenes if DEMENTIA.search(text) and ASKS_TO_GO_HOME.search(text)]
    assert len(go_home) <= 2 and all("Margaret" in t for w, t in scenes if w in go_home), go_home
    children = [
        w
        for w, text in scenes
        if DEMENTIA.search(text) and re.search(r"collect(ing)?\W{1,3}the children", text, re.I)
    ]
    assert [w.split("#")[0] for w in children] == ["02-dementia-agitation-carer.yaml"], children
    alone = [w for w, text in scenes if HIP_FRACTURE.search(text) and LIVES_ALONE.search(text)]
    assert len(alone) <= 2, alone
    assert {w.split("#")[0] for w in alone} == {
        "11-hip-fracture-lives-alone.yaml",
        "01-more-than-a-broken-part.yaml",
    }, alone


def test_11_the_scene_scan_finds_what_it_looks_for():
    """The patterns above catch the wordings the course used, and not other uses of "home"."""
    for asks in (
        'She asks again and again to "go home".',
        '"I want to go home," he says.',
        "He tries to go back home after tea.",
    ):
        assert ASKS_TO_GO_HOME.search(asks), asks
    for other in (
        "She is about to go home from rehabilitation.",  # discharge, not a request
        "He wants to be at home with his wife. What worries you about going home?",
        "She moved to a care home last spring.",
    ):
        assert not ASKS_TO_GO_HOME.search(other), other
    assert LIVES_ALONE.search("Pearl Henry, 83, who lives alone in the house she owns")
    assert LIVES_ALONE.search("Since Joan died he has lived alone.")
    assert not LIVES_ALONE.search("Living arrangements: living alone or with others.")
