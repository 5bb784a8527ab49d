#!/usr/bin/env python3
"""Mutation testing of the pure rules: `make mutation` (README, "Mutation testing").

For each pure module, mutmut (pinned in requirements.txt) mutates that module alone and runs the
tests of its area that need no database (the ``nodb`` mark, set in tests/conftest.py) against
every mutant. It works in a scratch copy of the tree in a temporary directory, so the working
tree is never mutated, git stays clean and several runs can go at once.

Per module it prints the mutants, killed, survived, equivalent (left out) and
score = killed / (mutants - equivalent), then the diff of every surviving mutant. A mutant that
times out counts as killed (the tests would never pass); one that no selected test reaches counts
as a survivor. Exit status 1 when any module scores under 90%.

Equivalent mutants (changes that cannot alter behaviour) are listed per module in
mutation/equivalents/<dotted module name>.txt, one a line: ``<identifier>  # one-line reason``.
The identifier is ``<function>:<12 hex digits>``, a hash of the mutant's diff within its function
(what this script prints beside each survivor): it stays the same when other code moves, and
changes when the mutated function itself changes, which is when the reason must be looked at
again. mutmut's own names (``...x_ordering__mutmut_12``) are accepted too, but they are
numbered in order and shift whenever the code above them changes.

    .venv/bin/python scripts/mutation.py                 # every module
    .venv/bin/python scripts/mutation.py --module assessments.engine.scoring
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "mutation" / "equivalents"
THRESHOLD = 0.90

# Module -> the tests run against its mutants (only those marked nodb are kept). A whole area's
# folder is given so that new test files count without editing this table; mutmut runs each
# mutant against only the tests that reached the mutated function.
TESTS = {
    "assessments/engine/scoring.py": ["tests/assessments"],
    "assessments/engine/instruments.py": ["tests/assessments"],
    "assessments/engine/mastery.py": ["tests/assessments"],
    "assessments/engine/quiz_logic.py": ["tests/assessments"],
    "assessments/engine/statistics.py": ["tests/assessments"],
    "assessments/engine/delivery.py": ["tests/assessments"],
    "assessments/engine/review.py": ["tests/assessments"],
    "assessments/engine/pools.py": ["tests/assessments"],
    "supervision/chain.py": ["tests/supervision"],
    **{
        f"cases/engine/{path.name}": ["tests/cases"]
        for path in sorted((ROOT / "cases" / "engine").glob("*.py"))
    },
}

# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code), folded into what we count.
KILLED = {1, 3}
TIMEOUT = {24, -24, 36, 152, 255}
SURVIVED = {0}
NOT_REACHED = {5, 33}

# Run in the scratch tree: prints {mutant name: diff} for the names given (mutmut's own reader).
DIFFS = """
import json, sys
from mutmut.mutation.diff_apply import find_mutant, get_diff_for_mutant
print(json.dumps({n: get_diff_for_mutant(n, path=find_mutant(n).path) for n in sys.argv[1:]}))
"""


def dotted(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def function_of(mutant: str) -> str:
    """``assessments.engine.scoring.xǁScoreǁ__post_init____mutmut_3`` -> ``Score.__post_init__``."""
    mangled = mutant.rpartition(".")[2].rpartition("__mutmut_")[0]
    if mangled.startswith("x_"):
        return mangled[2:]
    return ".".join(part for part in mangled.split("ǁ")[1:] if part)


def identifier(mutant: str, diff: str) -> str:
    """A name for the mutant that survives edits elsewhere: its function and a hash of its diff
    (the file names and mutmut's numbering left out)."""
    body = [line for line in diff.splitlines() if not line.startswith(("---", "+++"))]
    text = re.sub(r"__mutmut_\d+", "", "\n".join(body))
    return f"{function_of(mutant)}:{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def equivalents(module: str) -> dict[str, str]:
    path = EQUIVALENTS / f"{module}.txt"
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            found[name.strip()] = reason.strip()
    return found


def scratch_tree(into: Path) -> Path:
    """A copy of the files git would see (tracked, or new and not ignored): the work in progress
    is tested, and nothing in the working tree is touched."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607 (git from PATH)
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    tree = into / "tree"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            target = tree / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return tree


def configure(tree: Path, module: str, tests: list[str]) -> None:
    """mutmut reads [tool.mutmut] from the scratch copy's pyproject.toml. Every package is copied
    into mutmut's mutants/ folder (the tests import the whole project); only ``module`` mutates."""
    packages = sorted(p.name for p in tree.iterdir() if (p / "__init__.py").exists())
    packages = [p for p in packages if p != "tests"]
    settings = {
        "source_paths": packages,
        "only_mutate": [module],
        "pytest_add_cli_args_test_selection": [
            *tests,
            "-m",
            "nodb",
            "--ignore=tests/cases/test_engine_package.py",
        ],
        # pytest-django puts the folder of the nearest manage.py on sys.path: without a copy in
        # mutants/ it would find the scratch tree's and import the unmutated modules.
        "also_copy": ["manage.py"],
        "use_git_change_detection": False,
        # A mutant may loop for ever (a cycle search that never ends). mutmut stops it after
        # (seconds its tests take + constant) * multiplier * 2 of CPU time; with its defaults
        # (15, 1) one mutant of cases.engine.graph ran for over 50 minutes. With these the
        # module takes 1,287 s on a busy machine, six mutants stopped by the limit.
        "timeout_multiplier": 1.5,
        "timeout_constant": 5.0,
    }
    lines = ["", "[tool.mutmut]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    with (tree / "pyproject.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n".join(lines) + "\n")


def run_module(module_path: str, jobs: int, verbose: bool) -> dict:
    module = dotted(module_path)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"mutation-{module}-") as scratch:
        tree = scratch_tree(Path(scratch))
        configure(tree, module_path, TESTS[module_path])
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        mutmut = Path(sys.executable).parent / "mutmut"
        command = [str(mutmut), "run", "--max-children", str(jobs)]
        done = subprocess.run(  # noqa: S603 (our own command line)
            command, cwd=tree, env=env, capture_output=not verbose, text=True
        )
        meta = tree / "mutants" / f"{module_path}.meta"
        if done.returncode or not meta.exists():
            output = ((done.stdout or "") + (done.stderr or "")).splitlines()
            sys.stderr.write("\n".join(output[-30:]) + "\n")
            raise SystemExit(f"mutmut failed for {module} (exit {done.returncode})")
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        unkilled = sorted(
            (n for n, c in codes.items() if c not in KILLED | TIMEOUT), key=_mutant_number
        )
        diffs = {}
        if unkilled:
            shown = subprocess.run(  # noqa: S603 (mutant names that mutmut gave us)
                [sys.executable, "-c", DIFFS, *unkilled],
                cwd=tree,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            diffs = json.loads(shown.stdout.strip().splitlines()[-1])
    listed = equivalents(module)
    equivalent, survivors = [], []
    for name in unkilled:
        key = identifier(name, diffs[name])
        if codes[name] in SURVIVED | NOT_REACHED and (key in listed or name in listed):
            equivalent.append((name, key))
        else:
            survivors.append((name, key, codes[name]))
    total = len(codes)
    killed = sum(1 for c in codes.values() if c in KILLED | TIMEOUT)
    counted = total - len(equivalent)
    return {
        "module": module,
        "total": total,
        "killed": killed,
        "timeouts": sum(1 for c in codes.values() if c in TIMEOUT),
        "survived": len(survivors),
        "equivalent": len(equivalent),
        "score": killed / counted if counted else 1.0,
        "survivors": survivors,
        "diffs": diffs,
        "stale": sorted(set(listed) - {key for _, key in equivalent} - {n for n, _ in equivalent}),
        "seconds": time.monotonic() - started,
    }


def _mutant_number(name: str) -> tuple[str, int]:
    head, _, number = name.rpartition("__mutmut_")
    return head, int(number) if number.isdigit() else 0


def report(result: dict) -> None:
    print(
        f"\n{result['module']}: {result['total']} mutants, {result['killed']} killed "
        f"({result['timeouts']} by timeout), {result['survived']} survived, "
        f"{result['equivalent']} equivalent (left out): score {result['score']:.1%} "
        f"({result['seconds']:.0f} s)"
    )
    for name, key, code in result["survivors"]:
        status = (
            "survived"
            if code in SURVIVED
            else "no test reached it"
            if code in NOT_REACHED
            else f"exit {code}"
        )
        print(f"\n  {key}  ({name}, {status})")
        for line in result["diffs"][name].splitlines():
            print(f"    {line}")
    for key in result["stale"]:
        print(f"  listed as equivalent but no longer a surviving mutant: {key}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--module",
        action="append",
        choices=sorted(dotted(path) for path in TESTS),
        help="run this module only (may be repeated)",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="mutants at once")
    parser.add_argument("--verbose", action="store_true", help="show mutmut's own output")
    args = parser.parse_args()
    chosen = [path for path in TESTS if not args.module or dotted(path) in args.module]
    results = []
    for path in chosen:
        result = run_module(path, args.jobs, args.verbose)
        report(result)
        results.append(result)
    print("\nScore per module (killed / (mutants - equivalent)):")
    for result in results:
        mark = "" if result["score"] >= THRESHOLD else f"  under {THRESHOLD:.0%}"
        print(f"  {result['module']:<34} {result['score']:7.1%}{mark}")
    return 0 if all(r["score"] >= THRESHOLD for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
