"""The batch's ledger: a durable record (SQLite beside the output) of each graded submission, committed once.

Dask delivers a task at least once (a task whose worker died runs again), so a result can arrive
twice, or after the coordinator was killed and re-run. The ledger turns that into exactly-once:
a result is committed, in one transaction, only if no result for the same submission name and
input hash (content + grader version) is committed yet; the gradebook, feedback and results.json
are then derived from the committed result and can be re-derived from it at any time.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import time
import uuid
from pathlib import Path

from ..grading_results import GradingResults

LEDGER_NAME = "ledger.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS commits (
    name TEXT NOT NULL,          -- the submission's output folder
    input_hash TEXT NOT NULL,    -- its content and the grader version (fingerprint.input_hash)
    run TEXT NOT NULL,           -- the coordinator run that committed it
    committed_at REAL NOT NULL,  -- seconds since the epoch
    worker TEXT NOT NULL,        -- the machine that graded it
    results TEXT NOT NULL,       -- the grader's results (JSON), before penalties
    PRIMARY KEY (name, input_hash)
)
"""


class LedgerError(ValueError):
    """The ledger cannot be opened or written; the message names the file and the reason."""


class Ledger:
    """The commits of one output folder; use as a context manager. One coordinator writes it at a time."""

    def __init__(self, out: Path, force: bool = False):
        self.path, self.force, self.run = Path(out) / LEDGER_NAME, force, uuid.uuid4().hex
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT) below
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA synchronous = FULL")  # a commit is on disk before the gradebook is touched
            self.db.execute(_SCHEMA)
            self.db.execute("SELECT count(*) FROM commits").fetchone()
        except (sqlite3.Error, OSError) as error:
            raise LedgerError(f"cannot open the batch ledger {self.path}: {error}") from None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def committed(self, name: str, key: str) -> GradingResults | None:
        """The results committed for submission `name` with input hash `key`, or None (also for an unreadable row)."""
        row = self.db.execute("SELECT results FROM commits WHERE name = ? AND input_hash = ?", (name, key)).fetchone()
        try:
            return None if row is None else GradingResults.from_json(json.loads(row[0]))
        except ValueError:  # a row no reader understands is graded again, never trusted
            return None

    def commit(self, name: str, key: str, results: GradingResults, worker: str = "") -> bool:
        """Commit `results` for (name, key) in one transaction; False (nothing written) for a duplicate: a result
        committed by this run, or by an earlier one unless the batch was forced to regrade."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                row = self.db.execute("SELECT run FROM commits WHERE name = ? AND input_hash = ?",
                                      (name, key)).fetchone()
                duplicate = row is not None and (row[0] == self.run or not self.force)
                if not duplicate:
                    self.db.execute("INSERT OR REPLACE INTO commits VALUES (?, ?, ?, ?, ?, ?)",
                                    (name, key, self.run, time.time(), worker or socket.gethostname(),
                                     json.dumps(results.to_json())))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise LedgerError(f"cannot write the batch ledger {self.path}: {error}") from None
        return not duplicate

    def entries(self) -> list[dict]:
        """Every commit (name, input_hash, run, committed_at, worker), oldest first: for audits and tests."""
        rows = self.db.execute("SELECT name, input_hash, run, committed_at, worker FROM commits ORDER BY committed_at")
        return [dict(zip(("name", "input_hash", "run", "committed_at", "worker"), row)) for row in rows]
