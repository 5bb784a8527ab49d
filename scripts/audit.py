"""`make audit`: pip-audit against the pinned requirements.txt, with the known exceptions listed
in audit-exceptions.txt. Not part of `make test` or CI: it needs the vulnerability database on
the network (PyPI's JSON API, or OSV), and says so plainly when neither answers.

Exit codes: 0 when nothing unexcepted was found, or when nothing could be checked (with a
warning); 1 when a known vulnerability without an exception is found.
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"
EXCEPTIONS = ROOT / "audit-exceptions.txt"
SERVICES = ("pypi", "osv")
UNREACHABLE = "pip-audit could not reach the vulnerability database; nothing was checked"


def exceptions() -> list[str]:
    """IDs from lines of the form `--ignore-vuln ID  # reason` (a reason is required)."""
    ids = []
    for number, line in enumerate(EXCEPTIONS.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"--ignore-vuln\s+(\S+)\s+#\s*(\S.*)", line)
        if not match:
            sys.exit(f"{EXCEPTIONS.name}:{number}: write `--ignore-vuln ID  # reason`: {line!r}")
        ids.append(match.group(1))
    return ids


def run(service: str, ignored: list[str]) -> tuple[dict | None, str]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        args = [str(PIP_AUDIT), "-r", str(ROOT / "requirements.txt"), "--no-deps"]
        args += ["--disable-pip", "-s", service, "-f", "json", "-o", str(report)]
        args += ["--progress-spinner", "off", "--timeout", "20"]
        for vuln in ignored:
            args += ["--ignore-vuln", vuln]
        result = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
        if not report.exists():
            lines = (result.stderr or result.stdout or f"exit {result.returncode}").splitlines()
            return None, lines[-1].strip()[:300]
        return json.loads(report.read_text()), ""


def main() -> int:
    if not PIP_AUDIT.exists():
        print("pip-audit is not installed in .venv: run `make install` first.", file=sys.stderr)
        return 2
    ignored = exceptions()
    reasons = []
    for service in SERVICES:
        report, error = run(service, ignored)
        if report is None:
            reasons.append(f"{service}: {error}")
            continue
        deps = report["dependencies"]
        checked = [d for d in deps if "skip_reason" not in d]
        if not checked:
            # PyPI answering "not found" for every package means its JSON API is not reachable
            # from here (a mirror of the simple index only), not that all is well.
            reasons.append(f"{service}: none of the {len(deps)} packages could be looked up")
            continue
        skipped = [d["name"] for d in deps if "skip_reason" in d]
        found = [(d["name"], d["version"], v) for d in checked for v in d.get("vulns", [])]
        print(f"pip-audit ({service}): {len(checked)} of {len(deps)} pinned packages checked.")
        if skipped:
            print(f"WARNING: not checked (not found by {service}): {', '.join(skipped)}")
        if ignored:
            print(f"Known exceptions ({EXCEPTIONS.name}): {', '.join(ignored)}")
        for name, version, vuln in found:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE: {name} {version}: {vuln['id']} (fixed in {fixes})")
        if found:
            print(
                f"Known vulnerabilities found: {len(found)}. Upgrade the pin in requirements.txt, "
                f"or add `--ignore-vuln ID  # reason` to {EXCEPTIONS.name} if it does not apply."
            )
            return 1
        print("No known vulnerabilities in the packages checked.")
        return 0
    print("!" * 78, file=sys.stderr)
    print(f"!! {UNREACHABLE}.", file=sys.stderr)
    for reason in reasons:
        print(f"!!   {reason}", file=sys.stderr)
    print(
        "!! Run `make audit` again on a machine that can reach pypi.org or osv.dev.",
        file=sys.stderr,
    )
    print("!" * 78, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
