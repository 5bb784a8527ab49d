"""The verdict of `make bench`: the targets, each result's ratio to the trivial view and
whether it met its target (``judge``), and the printed table (``table``). Plain Python, no
Django; imported by ``bench/run.py``.
"""

# Target: minimum share of the trivial view's requests per second.
TARGETS = {
    "home_anonymous": 0.40,
    "lesson": 0.10,
    "curriculum_index": 0.10,
    "case_step_get": 0.10,
    "case_step_post": 0.05,
    "quiz": 0.10,
    "trainee_dashboard": 0.10,
    "supervisor_dashboard_2000": 0.05,
}
# Target for the cold runs of trainee pages: a page right after a write to the person's records.
COLD_TARGET = 0.05
MAX_QUERIES = 15
# "No slower at 2,000 trainees than at 200", within the noise of one short run.
NOISE = 0.10


def judge(results: list[dict]) -> list[str]:
    """Fill in ratios and target verdicts; return the misses."""
    floor = next(r for r in results if r["name"] == "trivial")["rps"] or 1.0
    by_name = {r["name"]: r for r in results}
    misses = []
    for r in results:
        r["ratio"] = round(r["rps"] / floor, 3)
        r["target"] = TARGETS.get(r["name"])
        r["met"] = r["target"] is None or r["ratio"] >= r["target"]
        if r["queries"] > MAX_QUERIES:
            r["met"] = False
        if not r["met"]:
            misses.append(r["name"])
        if "cold" in r:
            cold = r["cold"]
            cold.update(ratio=round(cold["rps"] / floor, 3), target=COLD_TARGET)
            cold["met"] = cold["ratio"] >= COLD_TARGET
            if not cold["met"]:
                misses.append(f"{r['name']} (cold)")
    big, small = by_name.get("supervisor_dashboard_2000"), by_name.get("supervisor_dashboard_200")
    if big and small:
        big["vs_200"] = round(big["rps"] / (small["rps"] or 1.0), 3)
        if big["vs_200"] < 1 - NOISE or big["queries"] > small["queries"]:
            big["met"] = False
            misses.append("supervisor_dashboard_2000 (slower than at 200)")
    return misses


def table(results: list[dict]) -> str:
    """Warm figures, then the cold run's (trainee pages): requests a second, median latency,
    ratio to the trivial view and queries; "met" covers both."""
    head = (
        f"{'endpoint':28} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} "
        f"{'ratio':>6} {'target':>6} {'queries':>7} | {'cold rps':>8} {'cold p50':>8} "
        f"{'cold':>6} {'cold q':>6}  met"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        target = f"{r['target']:.2f}" if r["target"] else "-"
        cold = r.get("cold")
        after = (
            f"{cold['rps']:8.1f} {cold['p50_ms']:8.2f} {cold['ratio']:6.3f} {cold['queries']:6d}"
            if cold
            else f"{'-':>8} {'-':>8} {'-':>6} {'-':>6}"
        )
        met = r["met"] and (cold is None or cold["met"])
        lines.append(
            f"{r['name']:28} {r['rps']:8.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
            f"{r['errors'] + (cold['errors'] if cold else 0):6d} {r['ratio']:6.3f} {target:>6} "
            f"{r['queries']:7d} | {after}  {'yes' if met else 'NO'}"
        )
    return "\n".join(lines)
