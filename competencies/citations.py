"""Citations in content text, and the bibliography they point to.

Pure: plain strings and dicts in, plain values out, no Django, so the content tests, the
`check_content` command and the `/references/` page share one reading of "Author, year".

A citation is an author part, a comma and a year, optionally followed at once by a note in
brackets: "Engel, 1977", "Kroenke, Spitzer & Williams, 2001 (PHQ-9)", "Hill et al., 2011",
"NICE, 2022 (NG222)", "World Health Organization, 2003". An Act of Parliament is cited by its
short title ("Care Act 2014"). When one author has two works in a year the bibliography tells
them apart by a guideline code in the note ("NICE, 2009 (CG90)") or a letter ("WHO, 2014a").
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

BIBLIOGRAPHY = Path(__file__).resolve().parent / "content" / "bibliography.yaml"

REQUIRED = ("key", "cite", "authors", "year", "title", "published_in")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")

# One name: capitalised words, which may be joined by a few lower-case words
# ("National Institute for Health and Care Excellence", "Nursing and Midwifery Council").
_WORD = r"[A-Z][\w'\u2019.-]*"
_PARTICLE = r"(?:van|von|de|der|den|du|le)"
_NAME = rf"(?:{_PARTICLE} )*{_WORD}(?: (?:(?:for|and|of|the|on|in|{_PARTICLE}) )*{_WORD})*"
_AUTHORS = rf"{_NAME}(?:(?:, | & ){_NAME})*(?: et al\.)?"
CITATION = re.compile(
    rf"(?<![\w'\u2019-])(?P<authors>{_AUTHORS}), (?P<year>(?:1[89]|20)\d\d[a-z]?)\b"
    r"(?: \((?P<note>[^()]*)\)|, (?P<code>[A-Z]{2,4}\d{1,4})\b)?"
)
ACT = re.compile(
    r"(?<![\w-])(?:The )?(?P<authors>(?:[A-Z][\w'\u2019-]* )+Act) (?P<year>(?:1[89]|20)\d\d)\b"
)
CODE = re.compile(r"\b[A-Z]{2,4}\d{1,4}\b")


@dataclass(frozen=True)
class Citation:
    """One citation found in a text: its author part, year and optional bracketed note."""

    authors: str
    year: str
    note: str = ""
    act: bool = False

    @property
    def base(self) -> str:
        """The author-year part, as an entry's `cite` spells it (an Act has no comma)."""
        return f"{self.authors} {self.year}" if self.act else f"{self.authors}, {self.year}"

    @property
    def code(self) -> str:
        match = CODE.search(self.note)
        return match.group(0) if match else ""

    def __str__(self) -> str:
        return f"{self.base} ({self.note})" if self.note else self.base


def _flat(text: str) -> str:
    """Content wraps long lines, so a citation may break across them."""
    return re.sub(r"\s+", " ", text)


def find_citations(text: str) -> list[Citation]:
    """Every citation in `text`, in order of appearance."""
    flat = _flat(text)
    found = [
        (m.start(), Citation(m["authors"], m["year"], (m["note"] or m["code"] or "").strip()))
        for m in CITATION.finditer(flat)
    ]
    found += [(m.start(), Citation(m["authors"], m["year"], act=True)) for m in ACT.finditer(flat)]
    return [citation for _, citation in sorted(found, key=lambda pair: pair[0])]


def _parse_cite(cite: str) -> Citation:
    citations = find_citations(cite)
    if len(citations) != 1 or str(citations[0]) != _flat(cite).strip():
        raise ValueError(f"Not a citation in the form 'Author, year': {cite!r}")
    return citations[0]


class Bibliography:
    """The works content may cite, and the rule that resolves a citation to one of them."""

    def __init__(self, entries: list[dict]):
        self.entries = entries
        self._by_base: dict[str, list[tuple[Citation, dict]]] = {}
        for entry in entries:
            for cite in [entry["cite"], *entry.get("also_cited_as", [])]:
                parsed = _parse_cite(cite)
                self._by_base.setdefault(parsed.base, []).append((parsed, entry))

    def candidates(self, citation: Citation) -> list[dict]:
        """The entries this citation could mean. Exactly one means it resolves; when an
        author-year names several works, the guideline code in the note picks one, and
        without a code all of them are returned (the citation is ambiguous)."""
        matches = self._by_base.get(citation.base, [])
        if citation.code:  # a code that names another work is an error, not a detail
            matches = [(c, e) for c, e in matches if c.code in ("", citation.code)]
        if citation.code and len({id(entry) for _, entry in matches}) > 1:
            matches = [(c, e) for c, e in matches if c.code == citation.code]
        unique = {id(entry): entry for _, entry in matches}
        return list(unique.values())

    def resolve(self, citation: Citation) -> dict | None:
        found = self.candidates(citation)
        return found[0] if len(found) == 1 else None

    def unresolved(self, text: str) -> list[Citation]:
        """The citations in `text` that do not name exactly one entry."""
        return [c for c in find_citations(text) if self.resolve(c) is None]

    def sorted_entries(self) -> list[dict]:
        """Alphabetical by first author, then year: the order of a reference list."""
        return sorted(self.entries, key=lambda e: (e["authors"].casefold(), str(e["year"])))


def entry_problems(entries: list[dict]) -> list[str]:
    """What is wrong with the bibliography itself: missing fields, repeated keys, a DOI that
    is not a DOI, an implausible year."""
    problems, seen = [], set()
    for number, entry in enumerate(entries, 1):
        name = entry.get("key", f"entry {number}")
        problems += [f"{name}: no {field}" for field in REQUIRED if not entry.get(field)]
        if name in seen:
            problems.append(f"{name}: key used twice")
        seen.add(name)
        if "doi" in entry and not DOI.match(str(entry["doi"])):
            problems.append(f"{name}: {entry['doi']!r} is not a DOI (10.NNNN/...)")
        if not 1850 <= int(str(entry.get("year", 0))[:4] or 0) <= 2026:
            problems.append(f"{name}: year {entry.get('year')!r} is implausible")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", str(name)):
            problems.append(f"{name}: key is not a slug")
    return problems


def load(path: Path = BIBLIOGRAPHY) -> Bibliography:
    return Bibliography(yaml.safe_load(path.read_text(encoding="utf-8")))


def strings(value) -> list[str]:
    """Every string inside a loaded YAML value, so a citation in any field is found."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def problems_in(bibliography: Bibliography, documents: list[tuple[str, object]]) -> list[str]:
    """Each citation in these loaded YAML documents (named by where they came from) that does
    not name exactly one entry: the check `check_content` and the content tests share."""
    problems = []
    for where, document in documents:
        for text in strings(document):
            for citation in find_citations(text):
                found = bibliography.candidates(citation)
                if len(found) != 1:
                    problems.append(
                        f"{where}: {citation!s} names {len(found)} bibliography entries, not one"
                    )
    return problems


def uncited(documents: list[tuple[str, object]]) -> list[str]:
    """The documents (a lesson, a quiz, a case) that cite nothing at all."""
    return [
        where for where, document in documents if not any(map(find_citations, strings(document)))
    ]
