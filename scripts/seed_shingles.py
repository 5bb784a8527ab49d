#!/usr/bin/env python3
"""Write tests/content/data/seed-shingles.txt: a hash of every run of eight words in the source
documents the curriculum is built from (../shared/seeds/ beside the repository, or the folder
given). The originality check (tests/content/test_originality.py) compares the product's text
with these hashes, so the sources' own sentences never need to be in the repository. Run again
only when the source documents change.

    .venv/bin/python scripts/seed_shingles.py [SEEDS_FOLDER]
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.content.originality import OUTPUT, shingle_hashes, words  # noqa: E402


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seeds"
    sources = sorted(folder.glob("*.txt"))
    if not sources:
        print(f"No source documents (*.txt) in {folder}.", file=sys.stderr)
        return 1
    hashes = set()
    for path in sources:
        hashes |= shingle_hashes(words(path.read_text(encoding="utf-8")))
    OUTPUT.write_text("".join(f"{h}\n" for h in sorted(hashes)), encoding="utf-8")
    print(f"{len(hashes)} runs of eight words from {len(sources)} documents -> {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
