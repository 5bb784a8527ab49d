"""A trainee's browser, as plain HTTP: it reads the forms on each page (with their CSRF token),
fills them in at random like a person would, and retries like a person would when the server
drops the connection or answers 503: it sends the same form again.

Used by the worker-kill test against gunicorn. A quiz run starts or resumes an attempt, answers
most questions and submits; a case run starts or resumes a vignette and plays it to its end.
"""

import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

import requests

TRIES = 60  # retries of one request before the client gives up (it never should)


class Forms(HTMLParser):
    """Every form on a page: its action and its fields (inputs, selects, textareas)."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            field = {"kind": a.get("type", "text"), "name": a.get("name"), "value": a.get("value")}
            self._form["fields"].append(field | {"off": "disabled" in a})
        elif tag == "select":
            self._select = {"kind": "select", "name": a.get("name"), "options": []}
            self._form["fields"].append(self._select | {"off": "disabled" in a})
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
        elif tag == "textarea":
            self._form["fields"].append(
                {"kind": "textarea", "name": a.get("name"), "off": "readonly" in a}
            )

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def find(self, action_end: str) -> dict | None:
        return next((f for f in self.forms if f["action"].endswith(action_end)), None)


def fill(form: dict, rng: random.Random) -> list[tuple[str, str]]:
    """Answers for a form, as a person might give them: one of each radio group, some of each
    group of checkboxes, an option of each select (positions as an order), some text."""
    data, groups, positions = [], defaultdict(list), []
    for f in form["fields"]:
        name = f["name"]
        if not name or f["off"]:
            continue
        if f["kind"] == "hidden":
            data.append((name, f["value"] or ""))
        elif f["kind"] in ("radio", "checkbox"):
            groups[(f["kind"], name)].append(f["value"])
        elif f["kind"] == "select" and name.startswith("position-"):
            positions.append(name)
        elif f["kind"] == "select":
            offered = [v for v in f["options"] if v]
            if offered:
                data.append((name, rng.choice(offered)))
        elif f["kind"] == "textarea":
            data.append((name, "I would ask who is at home, then about mood."))
    for (kind, name), values in groups.items():
        if kind == "radio":
            data.append((name, rng.choice(values)))
        else:
            data.extend((name, v) for v in rng.sample(values, rng.randint(1, len(values))))
    order = list(range(1, len(positions) + 1))
    rng.shuffle(order)
    data.extend((name, str(place)) for name, place in zip(positions, order, strict=True))
    return data


@dataclass
class Tally:
    """What the clients saw, added up across threads."""

    counts: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **numbers: int) -> None:
        with self.lock:
            self.counts.update(numbers)

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)


class Browser:
    """One signed-in trainee's browser tab."""

    def __init__(self, base: str, cookie: str, session: str, tally: Tally, rng: random.Random):
        self.base, self.tally, self.rng = base, tally, rng
        self.http = requests.Session()
        self.http.cookies.set(cookie, session)

    def send(self, method: str, path: str, data=None) -> requests.Response:
        """One request (following redirects), sent again while the connection drops (a killed
        worker) or the answer is 503. Any other 5xx is recorded as a failure."""
        for _ in range(TRIES):
            try:
                response = self.http.request(method, self.base + path, data=data, timeout=(5, 40))
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                # Cut off by a kill: before the answer, or in the middle of its body.
                self.tally.add(sent=1, interrupted=1)
                time.sleep(0.05)
                continue
            self.tally.add(sent=1 + len(response.history))
            if response.status_code in (502, 503):
                self.tally.add(unavailable=1)
                time.sleep(0.1)
                continue
            if response.status_code >= 500:
                self.tally.fail(f"{method} {path}: {response.status_code}")
            return response
        raise RuntimeError(f"{method} {path}: no answer after {TRIES} tries")

    def _open(self, url: str, route: str) -> tuple[str, requests.Response]:
        """Start an attempt from the overview page, or resume the open one: its URL and page."""
        page = self.send("GET", url)
        start = Forms(page.text).find(f"{url}start/")
        if start is not None:
            page = self.send("POST", start["action"], fill(start, self.rng))
            found = re.search(rf"{re.escape(url)}{route}/(\d+)/", page.url)
        else:
            found = re.search(rf'href="({re.escape(url)}{route}/(\d+)/)"', page.text)
            if found is not None:
                page = self.send("GET", found.group(1))
        if found is None:
            raise RuntimeError(f"no attempt to start or resume at {url} ({page.status_code})")
        return f"{url}{route}/{found.groups()[-1]}/", page

    def take_quiz(self, quiz_url: str) -> None:
        """Answer most questions in turn (each answer's redirect is the next question), then
        check and submit."""
        attempt_url, page = self._open(quiz_url, "attempt")
        for _ in range(100):
            if page.url.endswith(f"{attempt_url}review/"):
                break  # submitted (here or in another tab)
            forms = Forms(page.text)
            question = forms.find(attempt_url)
            submit = forms.find(f"{attempt_url}submit/")
            if submit is not None:
                page = self.send("POST", submit["action"], fill(submit, self.rng))
            elif question is None:
                self.tally.fail(f"quiz {attempt_url}: no form at {page.url} ({page.status_code})")
                return
            elif self.rng.random() < 0.15:  # left unanswered: it scores zero
                index = int(dict(fill(question, self.rng))["q"])
                page = self.send("GET", f"{attempt_url}?q={index + 1}")
            else:
                page = self.send("POST", attempt_url, fill(question, self.rng))
        if page.url.endswith(f"{attempt_url}review/") and page.status_code == 200:
            self.tally.add(quizzes_submitted=1)
        else:
            self.tally.fail(f"quiz {attempt_url} did not end on its review ({page.url})")

    def play_case(self, case_url: str) -> None:
        """Play to the end, one node at a time; a feedback page leads back to the next node."""
        play_url, page = self._open(case_url, "play")
        for _ in range(40):
            if page.url.endswith(f"{play_url}debrief/"):
                self.tally.add(cases_finished=1)
                return
            form = Forms(page.text).find(play_url)
            if form is None:  # a feedback page: go on to the next node
                page = self.send("GET", play_url)
                continue
            answer = self.send("POST", play_url, fill(form, self.rng))
            if answer.status_code == 409:
                self.tally.add(replays_refused=1)  # a resent step, already recorded
            elif answer.status_code == 400:
                self.tally.add(answers_refused=1)
            page = answer
        self.tally.fail(f"case {play_url} did not reach its debrief")
