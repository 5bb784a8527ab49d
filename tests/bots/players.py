"""The strategies. Each bot answers a page's form from what the page shows; only the expert
knows the key (from the server, as an examiner would), and only the harvester remembers what
reviews and debriefs gave away. Each returns the data to post for a form."""

import random

from assessments import services as quiz_services
from assessments.engine import delivery
from assessments.models import QuizAttempt
from assessments.sample_answers import form_answer
from cases import engine
from cases import services as case_services
from cases.models import VignetteAttempt

from .pages import Form, Group

REFLECTION = "I would ask what matters most to them at home and at work, and listen."


def _ordering(groups: list[Group], ranked: list[Group]) -> dict:
    """Positions 1..n given to the ordering selects in the order ``ranked``."""
    return {g.name: str(n) for n, g in enumerate(ranked, start=1)} if groups else {}


class Player:
    """Answers by a rule over what the page shows: ``pick_one`` for a radio group or a matching
    select, ``pick_some`` for checkboxes, ``rank`` for the items of an ordering question."""

    name = "player"

    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)

    def pick_one(self, options: list[tuple[str, str]]) -> str:
        raise NotImplementedError

    def pick_some(self, options: list[tuple[str, str]]) -> list[str]:
        raise NotImplementedError

    def rank(self, items: list[Group]) -> list[Group]:
        raise NotImplementedError

    def answer(self, form: Form, context: dict) -> dict:
        data: dict = {}
        positions = [g for g in form.groups if g.name.startswith("position-")]
        for group in form.groups:
            if group.kind == "radio" or (group.kind == "select" and group not in positions):
                data[group.name] = self.pick_one(group.options)
            elif group.kind == "checkbox":
                data[group.name] = self.pick_some(group.options)
            elif group.kind == "text":
                data[group.name] = REFLECTION
        data.update(_ordering(positions, self.rank(positions)))
        return data

    def quiz_answer(self, form: Form, context: dict) -> dict:
        return self.answer(form, context)

    def case_answer(self, form: Form, context: dict) -> dict:
        return self.answer(form, context)


class RandomPlayer(Player):
    name = "random"

    def pick_one(self, options):
        return self.rng.choice(options)[0]

    def pick_some(self, options):
        return [value for value, _ in options if self.rng.random() < 0.5]

    def rank(self, items):
        return self.rng.sample(items, len(items))


class PositionPlayer(Player):
    """The first option shown; the first half of a list; an ordering left as shown."""

    name = "position"

    def pick_one(self, options):
        return options[0][0]

    def pick_some(self, options):
        return [value for value, _ in options[: (len(options) + 1) // 2]]

    def rank(self, items):
        return list(items)


class LengthPlayer(Player):
    """The longest label; the longer half of a list; an ordering by length, longest first."""

    name = "length"

    def pick_one(self, options):
        return max(options, key=lambda o: len(o[1]))[0]

    def pick_some(self, options):
        longest = sorted(options, key=lambda o: -len(o[1]))
        return [value for value, _ in longest[: (len(options) + 1) // 2]]

    def rank(self, items):
        return sorted(items, key=lambda g: -len(g.label))


class NotLongestPlayer(RandomPlayer):
    """At random, but never the longest label: the cue of a bank whose keys are the longest
    option less often than chance (a random pick among the others then beats chance)."""

    name = "not longest"

    def pick_one(self, options):
        longest = max(options, key=lambda o: len(o[1]))
        return self.rng.choice([o for o in options if o is not longest] or options)[0]


class Harvester(PositionPlayer):
    """First time: a blank quiz attempt, a case played by position. Then it retakes and replays
    with what the review and the feedback gave away, wherever the page asks the same thing."""

    name = "harvester"

    def __init__(self, seed: int = 0):
        super().__init__(seed)
        self.quiz_keys: dict[str, dict] = {}  # stem -> review_keys entry
        self.case_keys: dict[tuple[str, str], set[str]] = {}  # (case, step title) -> labels

    def quiz_answer(self, form, context):
        known = self.quiz_keys.get(form.stem)
        if known is None:
            return super().quiz_answer(form, context)
        data = {}
        for group in form.groups:
            if group.kind == "radio":
                chosen = [v for v, label in group.options if label in known["choose"]]
                data[group.name] = chosen[0] if chosen else group.options[0][0]
            elif group.kind == "checkbox":
                data[group.name] = [v for v, label in group.options if label in known["choose"]]
            elif group.kind == "select" and group.name.startswith("position-"):
                data[group.name] = str(known["order"].get(group.label, 1))
            elif group.kind == "select":
                wanted = known["match"].get(group.label)
                chosen = [v for v, label in group.options if label == wanted]
                data[group.name] = chosen[0] if chosen else group.options[0][0]
            elif group.kind == "text":
                data[group.name] = REFLECTION
        return data

    def case_answer(self, form, context):
        known = self.case_keys.get((context["case"], form.title))
        if not known:
            return super().case_answer(form, context)
        data = super().case_answer(form, context)
        for group in form.groups:
            chosen = [v for v, label in group.options if label in known]
            if group.kind == "checkbox":
                data[group.name] = chosen
            elif group.kind == "radio" and chosen:
                data[group.name] = chosen[0]
        return data


class Expert(Player):
    """Knows every key and the best route of every case (read on the server, as an examiner
    would know them), and answers the question or step the page shows."""

    name = "expert"

    def quiz_answer(self, form, context):
        attempt = QuizAttempt.objects.get(pk=context["attempt_id"])
        key = form.hidden["question"]
        spec = next(s for s in quiz_services.attempt_questions(attempt) if s.key == key)
        return delivery.encode_form(spec, attempt.secret, form_answer(self.rng, spec, 1.0))

    def case_answer(self, form, context):
        attempt = VignetteAttempt.objects.get(pk=context["attempt_id"])
        graph = case_services.graph_of_revision(attempt.revision)
        node = graph[attempt.node]
        if node.kind == "decide":
            chosen = [dict(engine.best_path(graph))[node.id]]
        else:
            chosen = [o.id for o in node.options if o.correct]
        data: dict = {"choice": [delivery.token(attempt.secret, node.id, c) for c in chosen]}
        if node.kind == "screen":
            data.update({f"item-{i}": str(value) for i, value in enumerate(node.key)})
        return data


BOTS = (RandomPlayer, PositionPlayer, LengthPlayer, NotLongestPlayer, Harvester, Expert)
