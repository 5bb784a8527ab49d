"""No run of eight words shared with the source documents (CONTENT_GUIDE.md: our own words).

Text is compared as words (lower case, letters and digits, apostrophes kept inside a word), in
runs of ``RUN`` consecutive words. The sources are kept as hashes of their runs
(``data/seed-shingles.txt``, written by ``scripts/seed_shingles.py``), so their sentences are
not in the repository. Quotations that are marked (in quotation marks) are left out: a quoted
competency statement must name its author, which the content's own tests check.
"""

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).resolve().parent / "data" / "seed-shingles.txt"
RUN = 8
# Product text: lessons, modules, quizzes, vignettes and the catalogues.
CONTENT = ("curriculum/content", "assessments/content", "cases/content", "competencies/content")
QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def runs(ws: list[str]) -> list[str]:
    return [" ".join(ws[i : i + RUN]) for i in range(len(ws) - RUN + 1)]


def digest(run: str) -> str:
    return hashlib.sha256(run.encode()).hexdigest()[:16]


def shingle_hashes(ws: list[str]) -> set[str]:
    return {digest(run) for run in runs(ws)}


def source_hashes() -> set[str]:
    return set(OUTPUT.read_text(encoding="utf-8").split())


def content_files() -> list[Path]:
    return [
        path
        for folder in CONTENT
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in (".yaml", ".yml", ".md") and path.name != "FORMAT.md"
    ]


def shared_runs(text: str, sources: set[str]) -> list[str]:
    """The runs of eight words in ``text`` (quotations left out) that the sources contain."""
    unquoted = QUOTED.sub(" | ", text)  # a quotation breaks the runs around it
    found = []
    for part in unquoted.split("|"):
        found += [run for run in runs(words(part)) if digest(run) in sources]
    return found
