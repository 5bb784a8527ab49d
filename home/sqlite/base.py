"""SQLite for several worker processes: writers take turns through a lock file.

With ``transaction_mode="IMMEDIATE"`` (base settings) a transaction takes SQLite's write lock
when it begins, and a second writer waits. SQLite's own wait is a sleep that grows in steps
(1, 2, 5, 10, 15 ms...), so under load a writer often sleeps on past the moment the lock came
free. Here a transaction first takes an exclusive ``flock`` on a file beside the database and
holds it until it commits or rolls back: a waiting writer wakes as soon as the other finishes.
Readers never take it, and SQLite's own locking still applies underneath (statements outside a
transaction, other programs). The operating system releases the lock if a process dies.
"""

import fcntl

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_file = None
    _holding = False

    def _writers_lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.transaction_mode != "IMMEDIATE" or name == ":memory:" or "mode=memory" in name:
            return None
        return f"{name}.writers-lock"

    def _start_transaction_under_autocommit(self):
        path = self._writers_lock_path()
        if path is not None:
            if self._lock_file is None:
                self._lock_file = open(path, "ab")  # noqa: SIM115 - kept for the connection's life
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
            self._holding = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writers_lock()
            raise

    def _release_writers_lock(self) -> None:
        if self._holding:
            self._holding = False
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writers_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writers_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writers_lock()
            if self._lock_file is not None:
                self._lock_file.close()
                self._lock_file = None
