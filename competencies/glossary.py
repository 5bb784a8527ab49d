"""The course glossary: one definition per term, in ``content/glossary.yaml``, for every app
above this one. Lessons name a term by its key and the lesson import fills in the definition
(``curriculum.services``), so a definition is written, reviewed and corrected in one place.

The glossary is shipped text, not a table: it is read once per process and checked as it is
read (unique keys, a term and a definition for each, ``see_also`` naming real keys), so a
broken file stops the import and the glossary page with a message naming the entry."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

GLOSSARY = Path(__file__).resolve().parent / "content" / "glossary.yaml"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class GlossaryInvalid(ValueError):
    """The glossary file breaks one of its rules; the message names the entry."""


class UnknownTerm(KeyError):
    """A key that is not in the glossary."""

    def __str__(self):  # KeyError would quote the whole message
        return self.args[0]


@dataclass(frozen=True)
class Entry:
    key: str
    term: str
    definition: str
    see_also: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return self.key

    @property
    def initial(self) -> str:
        """The letter the entry is filed under on the A-Z page."""
        first = self.term[:1].upper()
        return first if first.isalpha() else "#"


def parse(data) -> dict[str, Entry]:
    """Glossary entries by key, from the parsed YAML, in alphabetical order of term.
    Raises ``GlossaryInvalid`` for the first broken rule."""
    if not isinstance(data, list) or not data:
        raise GlossaryInvalid("The glossary must be a non-empty list of entries.")
    entries: dict[str, Entry] = {}
    for position, item in enumerate(data, start=1):
        where = f"glossary entry {position}"
        if not isinstance(item, dict):
            raise GlossaryInvalid(f"{where} is not a mapping.")
        unknown = set(item) - {"key", "term", "definition", "see_also"}
        if unknown:
            raise GlossaryInvalid(f"{where} has unknown fields {sorted(unknown)}.")
        key = item.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            raise GlossaryInvalid(f"{where} needs a key in lowercase-with-hyphens, not {key!r}.")
        where = f"glossary entry {key!r}"
        if key in entries:
            raise GlossaryInvalid(f"{where} appears twice.")
        term, definition = item.get("term"), item.get("definition")
        for name, text, limit in (("term", term, 120), ("definition", definition, 1200)):
            if not isinstance(text, str) or not text.strip():
                raise GlossaryInvalid(f"{where} needs a {name}.")
            if len(text.strip()) > limit:
                raise GlossaryInvalid(f"{where}: the {name} is longer than {limit} characters.")
        see_also = item.get("see_also") or []
        if not isinstance(see_also, list):
            raise GlossaryInvalid(f"{where}: see_also must be a list of keys.")
        entries[key] = Entry(key, term.strip(), " ".join(definition.split()), tuple(see_also))
    for entry in entries.values():
        missing = [k for k in entry.see_also if k not in entries or k == entry.key]
        if missing:
            raise GlossaryInvalid(f"glossary entry {entry.key!r}: see_also {missing} not found.")
    ordered = sorted(entries.values(), key=lambda e: (e.term.casefold(), e.key))
    return {entry.key: entry for entry in ordered}


@cache
def entries() -> dict[str, Entry]:
    """The shipped glossary by key, alphabetical by term (read and checked once per process)."""
    with GLOSSARY.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))


def entry(key: str) -> Entry:
    """One entry; ``UnknownTerm`` with a clear message when the key is not in the glossary."""
    try:
        return entries()[key]
    except (KeyError, TypeError):
        raise UnknownTerm(f"{key!r} is not a key in competencies/content/glossary.yaml") from None


def key_for_term(term: str) -> str | None:
    """The key of the entry shown under this term (a lesson block stores the term as shown),
    or None for a term an educator wrote by hand."""
    return _keys_by_term().get((term or "").strip().casefold())


@cache
def _keys_by_term() -> dict[str, str]:
    return {e.term.casefold(): e.key for e in entries().values()}
