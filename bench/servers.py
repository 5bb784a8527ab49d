"""The servers `make bench` measures: gunicorn with the bench settings (``Gunicorn``), its
workers' peak memory, and the check that two instances share one database's sessions
(``shared_sessions``). Plain Python, no Django; used by ``bench/run.py``.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
BENCH_PASSWORD = "bench-password-2026"  # noqa: S105  (synthetic accounts, bench database only)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict, port: int, log: Path):
        self.port = port
        self.log = log.open("a")
        self.process = subprocess.Popen(  # noqa: S603
            [
                GUNICORN,
                "psycomp.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                *(["--access-logfile", "-"] if os.environ.get("BENCH_ACCESS_LOG") else []),
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not start: see {log}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def peak_rss_mb(pid: int) -> float:
    """The most resident memory the process has used (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def shared_sessions(env: dict, log: Path) -> dict:
    """Two gunicorn instances on different ports, one database: log in on the first through
    the login form, use the session on the second, log out there, and see it end on the first."""
    first, second = Gunicorn(env, free_port(), log), Gunicorn(env, free_port(), log)
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{first.url}/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        email = "scale-t00000@bench.example"
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "login": email, "password": BENCH_PASSWORD}
        ).encode()
        opener.open(f"{first.url}/accounts/login/", data=form, timeout=30).read()
        on_second = opener.open(f"{second.url}/dashboard/", timeout=30)
        dashboard_ok = on_second.status == 200 and on_second.url.endswith("/dashboard/")
        page = on_second.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        logout = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
        opener.open(f"{second.url}/accounts/logout/", data=logout, timeout=30).read()
        after = opener.open(f"{first.url}/dashboard/", timeout=30)
        ended_on_first = "/accounts/login/" in after.url
        return {
            "ports": [first.port, second.port],
            "session_used_on_second": dashboard_ok,
            "logout_on_second_ends_it_on_first": ended_on_first,
            "ok": dashboard_ok and ended_on_first,
        }
    finally:
        first.stop()
        second.stop()
