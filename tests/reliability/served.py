"""A real served site for the crash and outage tests: a database of its own, gunicorn, and a TCP
proxy that can cut the database off.

``ServedDatabase`` copies the migrated pytest test database into a database that another process
can use: on SQLite a file (WAL) in a temporary folder, made with SQLite's backup API; on
PostgreSQL a database named ``psycomp_crash_<pid>`` made with pg_dump | psql (or, without
pg_dump, by migrating), dropped at the end. It never touches the test database's data.
``Gunicorn`` serves psycomp.wsgi on 127.0.0.1 with the test settings (plain HTTP) and lists its
workers so that a test can SIGKILL them. ``TcpProxy`` forwards to PostgreSQL and can refuse
connections and drop the open ones, then let them through again, without touching the shared
server; ``FolderAway`` does the same for SQLite by moving the folder of the file away and back.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import requests

REPO = Path(__file__).resolve().parents[2]
SETTINGS = "psycomp.settings.test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_url(settings: dict, name: str, *, port: int | None = None) -> str:
    user = quote(settings.get("USER") or "")
    password = quote(settings.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    return f"postgres://{auth}{host}:{port or settings.get('PORT') or 5432}/{name}"


class ServedDatabase:
    """A copy of the migrated test database for a served site. Use ``clone`` inside
    ``django_db_blocker.unblock()``; ``url()`` is its DATABASE_URL; ``drop()`` removes it."""

    def __init__(self, vendor: str, folder: Path, settings: dict, name: str):
        self.vendor, self.folder, self.settings, self.name = vendor, folder, settings, name

    @classmethod
    def clone(cls, folder: Path) -> "ServedDatabase":
        from django.db import connection

        settings = dict(connection.settings_dict)
        if connection.vendor == "sqlite":
            served = cls("sqlite", folder, settings, str(folder / "db" / "served.sqlite3"))
            Path(served.name).parent.mkdir(parents=True)
            connection.ensure_connection()
            target = sqlite3.connect(served.name)
            try:
                connection.connection.backup(target)
                target.execute("PRAGMA journal_mode=WAL")  # stays set in the file
            finally:
                target.close()
            return served
        if connection.vendor != "postgresql":
            raise RuntimeError(f"No served copy for {connection.vendor}.")
        served = cls("postgresql", folder, settings, f"psycomp_crash_{os.getpid()}")
        served._admin(f'DROP DATABASE IF EXISTS "{served.name}" WITH (FORCE)')
        served._admin(f'CREATE DATABASE "{served.name}"')
        try:
            served._copy_from(settings["NAME"])
        except BaseException:
            served.drop()
            raise
        return served

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(_postgres_url(self.settings, "postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def _copy_from(self, test_name: str) -> None:
        source = _postgres_url(self.settings, test_name)
        if not (shutil.which("pg_dump") and shutil.which("psql")):
            self.manage("migrate", "--noinput", "-v0")  # slower, same result
            return
        dump = subprocess.Popen(
            ["pg_dump", "--no-owner", "--no-privileges", "--lock-wait-timeout=20s", source],
            stdout=subprocess.PIPE,
        )
        restore = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", os.devnull, self.url()],
            stdin=dump.stdout,
            capture_output=True,
            text=True,
            check=False,
        )
        dump.stdout.close()
        if dump.wait() or restore.returncode:
            raise RuntimeError(f"Copying the test database failed: {restore.stderr[-2000:]}")

    def url(self, *, port: int | None = None) -> str:
        """DATABASE_URL for this copy; ``port`` sends PostgreSQL traffic through a proxy."""
        if self.vendor == "sqlite":
            return f"sqlite:///{self.name}"
        return _postgres_url(self.settings, self.name, port=port)

    def environ(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            DATABASE_URL=self.url(),
            PYTHONUNBUFFERED="1",
            TEST_RATE_LIMITS="loose",
        )
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO, env=self.environ(), check=True
        )

    def run(self, *args: str) -> dict:
        """``python -m tests.reliability.served_data ...`` against this copy; its JSON answer."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.reliability.served_data", *args],
            cwd=REPO,
            env=self.environ(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"served_data {args[0]} failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            shutil.rmtree(Path(self.name).parent, ignore_errors=True)


class Gunicorn:
    """gunicorn serving psycomp.wsgi on 127.0.0.1, started and stopped by this test only.

    ``--preload`` loads Django once in the master, so that a worker killed with SIGKILL is
    replaced by a fork in milliseconds rather than a fresh import of Django; Django opens no
    database connection while loading, so no connection is shared across the fork. ``warm``
    also has the master serve a few pages before forking (see gunicorn_warm.py)."""

    def __init__(self, env: dict, log: Path, *, workers: int = 2, warm: bool = False):
        self.env, self.log_path, self.workers, self.warm = env, log, workers, warm
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self._log = open(self.log_path, "ab")  # closed in __exit__
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "psycomp.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--preload",
                "--timeout=30",
                "--graceful-timeout=3",
                "--log-level=warning",
                *(["--config=python:tests.reliability.gunicorn_warm"] if self.warm else []),
            ],
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                answered = requests.get(f"{self.base}/", timeout=5).status_code == 200
                if answered and len(self.worker_pids()) == self.workers:
                    return self
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (no psutil needed)."""
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                pids.append(int(entry))
        return pids

    def log_tail(self, size: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            workers = self.worker_pids()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                for pid in [self.process.pid, *workers]:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._log.close()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to ``upstream``. ``cut()`` stops listening (new connections are
    refused, as by a server that is down) and drops every open connection; ``restore()``
    listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "TcpProxy":
        self.restore()
        return self

    def __exit__(self, *exc):
        self.cut()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener, self._stop = listener, threading.Event()
        self._thread = threading.Thread(target=self._accept, args=(listener, self._stop))
        self._thread.daemon = True
        self._thread.start()

    def cut(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._open.update((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                for sock in (source, sink):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                    self._open.discard(sock)


class FolderAway:
    """SQLite's outage: the folder holding the database file is moved away, so that opening it
    fails ("unable to open database file"), then moved back. Meaningful with DB_CONN_MAX_AGE=0
    (the default), where each request opens the file anew."""

    def __init__(self, database_file: str):
        self.home = Path(database_file).parent
        self.away = self.home.with_name(self.home.name + "-away")

    def __enter__(self) -> "FolderAway":
        return self

    def __exit__(self, *exc):
        if self.away.exists():
            self.restore()

    def cut(self) -> None:
        self.home.rename(self.away)

    def restore(self) -> None:
        self.away.rename(self.home)
