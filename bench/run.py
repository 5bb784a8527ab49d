"""`make bench` (`python -m bench.run`): every page measured side by side against the
framework's own floor.

Builds (or reuses) a dedicated benchmark database with `manage.py seed_scale`, collects static
files, prepares the plan (`manage.py bench_prepare`: sessions, queries per request, valid step
submissions), starts gunicorn with the bench settings (production settings over plain HTTP on
127.0.0.1, 2 workers), drives each endpoint in turn with wrk for a fixed time, checks that two
gunicorn instances share one database's sessions, and prints a table (also written to
bench/results/latest.json).

Two columns for the trainee pages: warm, the page viewed again (what a person sees about
themselves is cached until their records change), and cold, each request right after a write
to that person's records (as while a trainee works through a case): wrk sends the header
X-Bench-Cold, for which the bench settings' middleware (bench.middleware) makes the call a
write makes, home.caching.records_changed, before the view runs. Each connection of a cold run
has a trainee of its own, so no request finds a page another connection has just rebuilt.

Environment: SCALE=full|small, BENCH_SECONDS (per endpoint), BENCH_CONNECTIONS (4),
BENCH_PROFILE=<endpoint> (profile that endpoint under pyinstrument instead;
<endpoint>:cold profiles a trainee page's cold run), BENCH_REBUILD=1
(build the database again), BENCH_NO_REDIS=1 (keep cache and sessions in the database even
when Redis runs on 127.0.0.1:6379), BENCH_STRICT=1 (fail when a target is missed),
BENCH_REUSE=1 (use the database as it is), BENCH_ONLY=<endpoint>,<endpoint>... (drive only
these, with the trivial view for the ratios), BENCH_DB (SQLite file), DATABASE_URL (PostgreSQL
server: the bench uses its own database on it, psycomp_bench_<scale>), REDIS_URL (cache and
sessions in Redis).
No Django here: everything Django does runs in manage.py subprocesses.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.report import judge, table
from bench.servers import Gunicorn, free_port, peak_rss_mb, shared_sessions

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
SCALES = {
    "full": {"trainees": 2000, "cohorts": 20, "supervisors": 50, "attempts": 100_000},
    "small": {"trainees": 200, "cohorts": 4, "supervisors": 6, "attempts": 4000},
}
SECONDS = {"full": 10, "small": 2}


def say(message: str) -> None:
    print(message, flush=True)


def run(args, env, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        say("Installing wrk (Debian package)...")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)  # noqa: S607
        if shutil.which("wrk") is None:
            subprocess.run(["apt-get", "update", "-q"], check=False)  # noqa: S607
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)  # noqa: S607
        return shutil.which("wrk")
    sys.exit("wrk is missing: install it with `sudo apt-get install -y wrk`, then run again.")


def database_url(scale: str) -> tuple[str, str]:
    """(DATABASE_URL for the bench, a description). PostgreSQL when DATABASE_URL is set."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith("postgres"):
        parts = urllib.parse.urlsplit(given)
        name = f"psycomp_bench_{scale}"
        return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), f"PostgreSQL {name}"
    path = Path(os.environ.get("BENCH_DB", f"/tmp/psycomp-bench/bench-{scale}.sqlite3"))  # noqa: S108
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}", f"SQLite {path}"


def postgres_database(url: str, *, fresh: bool) -> bool:
    """Create the bench database if missing (dropped first when ``fresh``). True if new."""
    code = """
import sys, psycopg
url, fresh = sys.argv[1], sys.argv[2] == "1"
base, name = url.rsplit("/", 1)
with psycopg.connect(base + "/postgres", autocommit=True) as conn:
    if fresh:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if not exists:
        conn.execute(f'CREATE DATABASE "{name}"')
print("new" if not exists else "kept")
"""
    out = subprocess.run(  # noqa: S603
        [PY, "-c", code, url, "1" if fresh else "0"], check=True, capture_output=True, text=True
    )
    return out.stdout.strip() == "new"


def build_database(env: dict, scale: str) -> float:
    """Migrate and seed the bench database unless it is already built. Returns seconds."""
    fresh = os.environ.get("BENCH_REBUILD") == "1"
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        postgres_database(url, fresh=fresh)
    elif fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    if os.environ.get("BENCH_REUSE") == "1":  # the caller vouches the database is built
        return 0.0
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PY, "manage.py", "createcachetable"], env)
    args = [f"--{k}={v}" for k, v in SCALES[scale].items()]
    out = run([PY, "manage.py", "seed_scale", *args], env, capture_output=True, text=True)
    say(out.stdout.strip())
    return time.perf_counter() - started


def redis_running() -> bool:
    if os.environ.get("BENCH_NO_REDIS") == "1":
        return False
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def warm(server: Gunicorn, endpoint: dict, times: int = 6) -> None:
    for _ in range(times):
        request = urllib.request.Request(server.url + endpoint["path"])  # noqa: S310
        if endpoint.get("cookie"):
            request.add_header("Cookie", endpoint["cookie"])
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()


def split_submissions(endpoint: dict, threads: int) -> str:
    """Spread whole attempts over the threads' files; returns the file prefix for wrk.lua."""
    prefix = str(RESULTS / "posts-")
    files = [open(f"{prefix}{i + 1}.txt", "w") for i in range(threads)]  # noqa: SIM115
    with open(endpoint["submissions"]) as source:
        for n, line in enumerate(source):
            for step in json.loads(line):
                files[n % threads].write(f"{step['path']}\t{step['cookie']}\t{step['body']}\n")
    for handle in files:
        handle.close()
    return prefix


def cold_requests(endpoint: dict, threads: int) -> str:
    """One trainee per thread for a cold run (they repeat only if there are more threads than
    trainees in the plan); returns the file prefix for wrk.lua."""
    prefix = str(RESULTS / "cold-")
    people = endpoint["cold"]["people"]
    for i in range(threads):
        person = people[i % len(people)]
        Path(f"{prefix}{i + 1}.txt").write_text(f"{person['path']}\t{person['cookie']}\t\n")
    return prefix


def drive(
    wrk: str, server: Gunicorn, endpoint: dict, seconds: int, threads: int, *, cold: bool = False
) -> dict:
    args = [str(endpoint["expect"]), endpoint.get("cookie", "")]
    if cold:
        args = [str(endpoint["expect"]), "", cold_requests(endpoint, threads), "cold"]
    elif endpoint["method"] == "POST":
        args += [split_submissions(endpoint, threads), "posts"]
    else:
        warm(server, endpoint)
    command = [
        wrk,
        f"-t{threads}",
        f"-c{threads}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "bench" / "wrk.lua"),
        server.url + endpoint["path"],
        "--",
        *args,
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    line = next(x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
    figures["errors"] = (
        figures["socket_errors"]
        + figures["timeouts"]
        + figures["unexpected_status"]
        + figures["out_of_posts"]
    )
    return figures


def main() -> int:
    scale = os.environ.get("SCALE", "full")
    if scale not in SCALES:
        sys.exit(f"SCALE must be one of {', '.join(SCALES)}, not {scale!r}.")
    seconds = int(os.environ.get("BENCH_SECONDS", SECONDS[scale]))
    threads = int(os.environ.get("BENCH_CONNECTIONS", "4"))
    profile = os.environ.get("BENCH_PROFILE", "")
    RESULTS.mkdir(parents=True, exist_ok=True)
    url, where = database_url(scale)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "psycomp.settings.bench",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
        # A fresh key prefix per run: nothing cached against another database is ever read.
        "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
    }
    if not env.get("REDIS_URL") and redis_running():
        # Production keeps cache and sessions in Redis (see the scale plan in the README).
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    wrk = ensure_wrk()
    store = "Redis" if env.get("REDIS_URL") else "the database"
    say(f"== bench database: {where} (scale {scale}); cache and sessions in {store}")
    built = build_database(env, scale)
    say(f"   ready in {built:.0f} s")
    if os.environ.get("BENCH_SKIP_STATIC") != "1" or not (ROOT / "staticfiles").exists():
        run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    posts = max(2000, seconds * threads * 150)
    out = run(
        [
            PY,
            "manage.py",
            "bench_prepare",
            f"--out={RESULTS}",
            f"--posts={posts}",
            f"--people={threads}",
        ],
        env,
        capture_output=True,
        text=True,
    )
    plan = json.loads((RESULTS / "plan.json").read_text())
    if profile:
        run([PY, "manage.py", "bench_prepare", f"--out={RESULTS}", f"--profile={profile}"], env)
        return 0
    del out
    log = RESULTS / "gunicorn.log"
    log.write_text("")
    server = Gunicorn(env, free_port(), log)
    results = []
    only = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
    if only:
        unknown = only - {e["name"] for e in plan["endpoints"]}
        if unknown:
            sys.exit(f"BENCH_ONLY names no endpoint: {', '.join(sorted(unknown))}")
        only.add("trivial")
    try:
        for endpoint in plan["endpoints"]:
            if only and endpoint["name"] not in only:
                continue
            say(f"-- {endpoint['name']}: {endpoint['method']} {endpoint['path']} ({seconds} s)")
            figures = drive(wrk, server, endpoint, seconds, threads)
            results.append({"name": endpoint["name"], "queries": endpoint["queries"], **figures})
            if "cold" in endpoint:
                say(f"-- {endpoint['name']}, cold: each request after a write ({seconds} s)")
                figures = drive(wrk, server, endpoint, seconds, threads, cold=True)
                results[-1]["cold"] = {"queries": endpoint["cold"]["queries"], **figures}
        memory = {str(pid): peak_rss_mb(pid) for pid in server.workers()}
    finally:
        server.stop()
    say("-- two gunicorn instances, one database: a session made on one used on the other")
    sessions = shared_sessions(env, log)
    misses = judge(results)
    report = table(results)
    say("")
    say(
        f"Benchmark ({where}, cache and sessions in {store}, scale {scale}, "
        f"{seconds} s per endpoint, {threads} connections)"
    )
    say(report)
    say(f"peak memory per gunicorn worker (MiB): {', '.join(str(v) for v in memory.values())}")
    say(f"shared sessions across two instances: {'yes' if sessions['ok'] else 'NO'}")
    errors = sum(r["errors"] + r.get("cold", {}).get("errors", 0) for r in results)
    say(f"targets missed: {', '.join(misses) if misses else 'none'}; errors: {errors}")
    summary = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "database": where,
        "cache_and_sessions": "redis" if env.get("REDIS_URL") else "database",
        "scale": scale,
        "seconds_per_endpoint": seconds,
        "connections": threads,
        "database_ready_seconds": round(built, 1),
        "results": results,
        "peak_rss_mb_per_worker": memory,
        "shared_sessions": sessions,
        "targets_missed": misses,
        "errors": errors,
    }
    (RESULTS / "latest.json").write_text(json.dumps(summary, indent=2))
    if errors or not sessions["ok"]:
        return 1
    if misses and os.environ.get("BENCH_STRICT") == "1":
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
