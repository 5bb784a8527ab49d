"""SQLite writers take turns through a lock file (home/sqlite): a second writer waits for the
first to commit or roll back, and goes on as soon as it has."""

import fcntl
import threading
import time

import pytest
from django.db import connections

from home.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.django_db  # lets these tests open connections of their own


def _connection(path, alias, mode="IMMEDIATE"):
    settings = {
        **connections["default"].settings_dict,
        "ENGINE": "home.sqlite",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": mode, "timeout": 20},
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias=alias)


def _begin(connection):
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(connection, how):
    getattr(connection, how)()
    connection.set_autocommit(True)


def _lock_is_free(path) -> bool:
    with open(f"{path}.writers-lock", "ab") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


@pytest.mark.parametrize("how", ["commit", "rollback"])
def test_a_second_writer_waits_for_the_first_to_finish(tmp_path, how):
    first = _connection(tmp_path / "w.sqlite3", "first")
    events = []
    _begin(first)
    first.cursor().execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
    events.append("first began")
    assert not _lock_is_free(tmp_path / "w.sqlite3")

    def write():  # another worker: its own connection, made in its own thread
        second = _connection(tmp_path / "w.sqlite3", "second")
        _begin(second)
        events.append("second began")
        second.cursor().execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
        second.cursor().execute("INSERT INTO t VALUES (2)")
        _end(second, "commit")
        second.close()

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.3)  # room for the second writer to (wrongly) get in first
    events.append(f"first {how}")
    _end(first, how)
    thread.join(timeout=10)
    assert events == ["first began", f"first {how}", "second began"]
    assert _lock_is_free(tmp_path / "w.sqlite3")
    first.close()


def test_closing_a_connection_mid_transaction_lets_the_next_writer_in(tmp_path):
    first = _connection(tmp_path / "c.sqlite3", "first")
    _begin(first)
    assert not _lock_is_free(tmp_path / "c.sqlite3")
    first.close()  # a worker that dies or drops its connection
    assert _lock_is_free(tmp_path / "c.sqlite3")
    done = threading.Event()

    def write():
        second = _connection(tmp_path / "c.sqlite3", "second")
        _begin(second)
        _end(second, "commit")
        second.close()
        done.set()

    threading.Thread(target=write).start()
    assert done.wait(timeout=10)


def test_no_lock_file_without_immediate_transactions_or_for_memory(tmp_path):
    deferred = _connection(tmp_path / "d.sqlite3", "deferred", mode="DEFERRED")
    memory = _connection(":memory:", "memory")
    for connection in (deferred, memory):
        connection.ensure_connection()
        assert connection._writers_lock_path() is None
        _begin(connection)
        _end(connection, "commit")
        connection.close()
    assert not list(tmp_path.glob("*.writers-lock"))
