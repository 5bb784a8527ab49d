"""Workers killed mid-request: gunicorn serves the site from a database of its own while trainee
clients take quizzes and play cases from several threads, and another thread SIGKILLs a random
worker at random moments (gunicorn starts a new one). Clients resend what was cut off, as a
person would. Afterwards every attempt is untouched or finalised exactly once, every evidence row
is what the application's own scoring gives the stored answers, no step is stored twice, and the
summaries equal a rebuild from the evidence (``served_data check``).

The default run makes CRASH_KILLS=30 kills within CRASH_SECONDS=20; `make crash` makes 300.
CRASH_SEED repeats a run. Run with -s to see the figures.
"""

import os
import random
import signal
import threading
import time

import pytest

from tests.reliability.served_client import Browser, Tally

# The served copy is a database of its own; the mark makes the test run on both passes.
pytestmark = pytest.mark.django_db

KILLS = int(os.environ.get("CRASH_KILLS", "30"))
SECONDS = float(os.environ.get("CRASH_SECONDS", "20"))
SEED = int(os.environ.get("CRASH_SEED") or random.randrange(1, 1_000_000))


def test_killed_workers_leave_every_attempt_consistent(served_site, served_server):
    (database, seed), (server, _) = served_site, served_server
    rng = random.Random(SEED)
    tally, stop = Tally(), threading.Event()
    quiz, case = seed["quiz_url"], seed["case_url"]
    tabs = [  # (trainee, session, what the tab does); trainee 2 has the quiz open in two tabs
        (0, 0, "quiz"),
        (0, 1, "case"),
        (1, 0, "case"),
        (2, 0, "quiz"),
        (2, 1, "quiz"),
    ]

    def client(trainee: int, session: int, flow: str, client_rng: random.Random):
        browser = Browser(
            server.base,
            seed["session_cookie"],
            seed["trainees"][trainee]["sessions"][session],
            tally,
            client_rng,
        )
        try:
            while not stop.is_set():  # a run in progress is finished after the stop
                browser.take_quiz(quiz) if flow == "quiz" else browser.play_case(case)
        except Exception as exc:
            tally.fail(f"client {trainee}/{flow} stopped: {exc!r}")

    started = time.monotonic()
    phases = {}
    threads = [
        threading.Thread(target=client, args=(*tab, random.Random(rng.random())), daemon=True)
        for tab in tabs
    ]
    for thread in threads:
        thread.start()
    kills, deadline = 0, time.monotonic() + SECONDS
    while kills < KILLS and time.monotonic() < deadline:
        time.sleep(rng.uniform(0.1, 0.5))
        workers = server.worker_pids()
        if workers:
            try:
                os.kill(rng.choice(workers), signal.SIGKILL)
                kills += 1
            except ProcessLookupError:
                pass
    stop.set()
    phases["kills"] = time.monotonic() - started
    for thread in threads:
        thread.join(timeout=120)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    log = server.log_tail()
    phases["finish"] = time.monotonic() - started - phases["kills"]
    check = database.run("check")
    phases["check"] = time.monotonic() - started - sum(phases.values())
    counts, problems = check["counts"], check["problems"]
    print(
        f"\nworker kill ({database.vendor}, seed {SEED}): {kills} kills in "
        f"{phases['kills']:.0f} s, {tally.counts['sent']} requests sent, "
        f"{tally.counts['interrupted']} cut off by a kill (resent), "
        f"{tally.counts['unavailable']} answered 503 (resent), "
        f"{tally.counts['replays_refused']} resent steps refused as already recorded; "
        f"{tally.counts['quizzes_submitted']} quizzes submitted, "
        f"{tally.counts['cases_finished']} cases finished; checked "
        f"{counts.get('quiz attempts submitted', 0)} submitted and "
        f"{counts.get('quiz attempts open, untouched', 0)} open quiz attempts, "
        f"{counts.get('vignette attempts finished', 0)} finished and "
        f"{counts.get('vignette attempts open', 0)} open vignette attempts, "
        f"{counts.get('evidence rows', 0)} evidence rows, "
        f"{counts.get('summaries checked', 0)} summaries: {len(problems)} inconsistencies. "
        f"Time: copy, seed and start gunicorn {seed['prepared in']:.1f} s (shared), "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
    )
    assert not stuck, f"clients still running: {stuck}\n{log}"
    assert tally.failures == [], f"{tally.failures[:10]}\n{log}"
    assert problems == [], problems[:20]
    assert kills == KILLS, f"only {kills} kills within {SECONDS} s"
    assert tally.counts["interrupted"] > 0, "no kill cut a request off"
    # A kill drops connections; it never makes the database refuse work (no 503).
    assert tally.counts["unavailable"] == 0, log
    assert tally.counts["quizzes_submitted"] > 0 and tally.counts["cases_finished"] > 0
    assert counts["evidence rows"] == counts["evidence rows checked"] > 0
    # Each case tab is a trainee of its own: every case the clients finished is finished once.
    assert counts.get("vignette attempts finished") == tally.counts["cases_finished"]
