"""The pages as a bot sees them: the question form of a quiz or case page (its hidden fields and
its groups of choices, each with the labels a person reads), and the keys a review or a case's
feedback gives away. Standard library HTML parsing only: a bot uses nothing but the HTML."""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Group:
    """One question on the page: radios or checkboxes sharing a name, a select, or a text box."""

    name: str
    kind: str  # "radio", "checkbox", "select", "text"
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    label: str = ""  # a select's own label (a matching factor, an ordering item)


@dataclass
class Form:
    action: str
    hidden: dict[str, str]
    groups: list[Group]
    title: str  # the page's h1
    stem: str  # the question's stem as text

    def group(self, name: str) -> Group | None:
        return next((g for g in self.groups if g.name == name), None)


def text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.labels: dict[str, str] = {}  # for= id -> text
        self.ids: dict[str, tuple[str, str]] = {}  # input id -> (name, value)
        self._label_for = None
        self._label_text: list[str] = []
        self._select = None
        self._option = None
        self._h1 = False
        self.title = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h1":
            self._h1 = True
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "fields": []})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            fields.append((kind, a.get("name"), a.get("value") or "", a.get("id")))
            if a.get("id"):
                self.ids[a["id"]] = (a.get("name"), a.get("value") or "")
        elif tag == "select":
            self._select = {"name": a.get("name"), "id": a.get("id"), "options": []}
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value") or "", []]
        elif tag == "textarea":
            fields.append(("textarea", a.get("name"), "", a.get("id")))
        elif tag == "label":
            self._label_for, self._label_text = a.get("for"), []

    def handle_endtag(self, tag):
        if tag == "h1":
            self._h1 = False
        elif tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None
        elif tag == "option" and self._option is not None:
            value, words = self._option
            self._select["options"].append((value, " ".join("".join(words).split())))
            self._option = None
        elif tag == "select" and self._select is not None:
            self.forms[-1]["fields"].append(("select", self._select["name"], self._select, None))
            self._select = None

    def handle_data(self, data):
        if self._h1:
            self.title += data
        if self._label_for:
            self._label_text.append(data)
        if self._option is not None:
            self._option[1].append(data)


def question_form(page: str) -> Form | None:
    """The page's question form (the one posting answers), or None when it has none."""
    parser = _FormParser()
    parser.feed(page)
    for raw in parser.forms:
        hidden, groups = {}, {}
        for kind, name, value, element_id in raw["fields"]:
            if kind == "hidden":
                hidden[name] = value
            elif kind in ("radio", "checkbox"):
                group = groups.setdefault(name, Group(name, kind))
                group.options.append((value, parser.labels.get(element_id, "")))
            elif kind == "select":
                options = [(v, label) for v, label in value["options"] if v]
                groups[name] = Group(name, "select", options, parser.labels.get(value["id"], ""))
            elif kind in ("textarea", "text"):
                groups[name] = Group(name, "text")
        if "question" in hidden or "seq" in hidden:
            stem = re.search(r'class="question__stem"[^>]*>(.*?)</div>', page, re.S)
            return Form(
                html.unescape(raw["action"]),
                hidden,
                list(groups.values()),
                " ".join(parser.title.split()),
                text(stem.group(1)) if stem else "",
            )
    return None


# --- What reviews and feedback give away ----------------------------------------------------


def review_keys(page: str) -> dict[str, dict]:
    """From a quiz review: per question stem, what the key was, in the labels a person reads:
    ``{"choose": {labels}}`` for options and factors, ``{"match": {factor: intervention}}``,
    ``{"order": {label: place}}``."""
    keys = {}
    for item in re.findall(r'<li class="review-item">(.*?)</article>', page, re.S):
        stem = re.search(r'class="question__stem"[^>]*>(.*?)</div>', item, re.S)
        if not stem:
            continue
        choose, match, order = set(), {}, {}
        for row in re.findall(r'<li class="review-row[^"]*">(.*?)</li>', item, re.S):
            said = text(row)
            found = re.search(r"“(.*)”\.", said)
            if not found:
                continue
            label, rest = found.group(1), said[found.end() :]
            if "should have been chosen" in rest or "You chose this, and it is a right" in rest:
                choose.add(label)
            if best := re.search(r"The best match is (.*?)\.", rest):
                match[label] = best.group(1)
            if place := re.search(r"Its place is (\d+)\.", rest):
                order[label] = int(place.group(1))
        keys[text(stem.group(1))] = {"choose": choose, "match": match, "order": order}
    return keys


FEEDBACK_RIGHT = ("; a question worth asking", "; helpful", "; present")


def feedback_keys(page: str) -> set[str]:
    """From a case step's feedback page: the labels it says were right to choose."""
    right = set()
    for item in re.findall(r"<li[^>]*>\s*<p><strong>(.*?)</strong>(.*?)</p>", page, re.S):
        label, verdict = text(item[0]), text(item[1])
        if any(mark in verdict for mark in FEEDBACK_RIGHT):
            right.add(label)
    return right


def debrief_best_route(page: str) -> dict[str, set[str]]:
    """From a case debrief: per step title, the choices of the best route."""
    section = re.search(r'id="best-title".*?</ol>', page, re.S)
    route: dict[str, set[str]] = {}
    for item in re.findall(
        r"<li><strong>(.*?)</strong>: (.*?)</li>", section.group(0) if section else ""
    ):
        route.setdefault(text(item[0]), set()).update(text(item[1]).split("; "))
    return route
