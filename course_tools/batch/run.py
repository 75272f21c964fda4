"""The batch: which submissions still need grading, grading them on a Dask cluster, finishing each as it ends.

A submission is done when the ledger holds a result for its name and input hash (its content plus
the grader version), or, for outputs written before the ledger, when its results.json has a
matching input hash. Each delivered result is committed to the ledger first, once (a duplicate
delivery is dropped), then finished (see finish.py for the order of writes). Re-running a batch
grades only what is not done, so a killed batch resumes, and re-applies penalties and gradebook
rows to the rest from the committed results.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from ..judge.config import CheckConfig, load_config
from ..paths import grading_config
from ..judge.launcher import GraderSettings
from ..grading_results import BatchRecord, GradingResults
from ..submission_reader import submission_name
from ..judge import launcher
from ..atomic import write_json_atomically, write_text_atomically
from .cluster import DEFAULT_ALLOWED_FAILURES, EMBEDDED, Where
from ..course_config import CourseConfig
from .csv_export import write_csv
from .dispatch import Job
from .on_cluster import grade_on_cluster
from .task import Delivery
from ..judge.fingerprint import grader_version, input_hash
from .clock import Clock
from .finish import Finisher, finished_results
from .given_code import keep_given
from .overrides import Override, unknown_students
from .regrade import CHANGES_NAME, ScoreChange, previous_results, score_changes, write_changes
from .gradebook import CourseGradebook, default_url
from .ledger import Ledger


@dataclass
class BatchOptions:
    """Where and how to grade; `gradebook_url` empty means sqlite in `out`."""

    root: Path
    out: Path
    config: CourseConfig = field(default_factory=CourseConfig)
    jobs: int = 1
    force: bool = False
    timeout: float = launcher.DEFAULT_TIMEOUT
    gradebook_url: str = ""
    progress: bool = True
    settings: GraderSettings = GraderSettings()  # --only, --call-timeout
    scheduler: str = ""  # a Dask scheduler's address; empty: an embedded cluster of `jobs` workers (or `cluster`)
    cluster: str = EMBEDDED  # or "slurm": dask-jobqueue, with course.toml's [cluster]
    allowed_failures: int = DEFAULT_ALLOWED_FAILURES  # lost workers before a submission is given up
    clock: Clock = field(default_factory=Clock)  # the submission times the instructor's side recorded
    overrides: dict[str, list[Override]] = field(default_factory=dict)  # the instructor's, by student id
    checks: dict[str, CheckConfig] | None = None  # graders/grading.toml as loaded (None: read from `root`)


@dataclass
class BatchOutcome:
    """Each submission's final results (by name, in command-line order), and which were graded now."""

    results: dict[str, GradingResults]
    graded: list[str]
    skipped: list[str]
    csv: Path
    gradebook_url: str
    warnings: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # deliveries dropped because already committed
    regraded: int = 0  # submissions graded again, over an earlier results.json
    changes: list[ScoreChange] = field(default_factory=list)  # those whose final score changed (changes.csv)
    unknown_overrides: list[str] = field(default_factory=list)  # overrides of students no submission is graded as


class Batch:
    """One run of `course grade` over many submissions."""

    def __init__(self, paths: list[Path], options: BatchOptions):
        self.paths, self.options = [Path(p) for p in paths], options
        names = [submission_name(p) for p in self.paths]
        clashes = sorted({n for n in names if names.count(n) > 1})
        if clashes:
            raise ValueError(f"several submissions would share an output folder: {', '.join(clashes)}; rename them")
        self.checks = options.checks or load_config(grading_config(options.root))
        self.grader = grader_version(options.root, options.settings)
        self.url = options.gradebook_url or options.config.gradebook_url or default_url(options.out)

    def run(self) -> BatchOutcome:
        opts = self.options
        opts.out.mkdir(parents=True, exist_ok=True)
        self.keys = {path: input_hash(path, self.grader) for path in self.paths}
        results, graded, skipped, self.duplicates = {}, [], [], []
        # both stores open before any grading: one that cannot be opened stops the run here
        with Ledger(opts.out, force=opts.force) as ledger, CourseGradebook(self.url, opts.config.course_id) as gradebook:
            keep_given(opts.out, opts.root, opts.config.given_code)  # for the similarity report
            exercises = gradebook.define_assignment(opts.config.assignment, opts.config.due, self.checks)
            self.finish = Finisher(opts.config, exercises, self.grader, opts.out, opts.clock, opts.overrides)
            self.ledger = ledger
            pending = []
            for path in self.paths:
                done = None if opts.force else self._done(path)
                if done is None:
                    pending.append(path)
                else:  # resume: re-apply penalties and re-sync the gradebook, no regrading
                    results[path] = self._finish_one(gradebook, path, done)
                    skipped.append(submission_name(path))
            graded = [submission_name(p) for p in pending]
            previous = previous_results(opts.out, graded)  # before a regrade overwrites them
            self._grade(gradebook, pending, results)
            warnings = self._settle_and_warn(gradebook, results)
            csv = opts.out / "grades.csv"
            write_csv(csv, gradebook.rows(opts.config.assignment), exercises)
        ordered = {submission_name(p): results[p] for p in self.paths}
        changes = score_changes(previous, ordered)
        if previous:
            write_changes(opts.out / CHANGES_NAME, changes)
        students = {r.student_id for r in ordered.values() if r.graded}  # an override needs checks to apply to
        return BatchOutcome(ordered, graded, skipped, csv, self.url, warnings, self.duplicates,
                            regraded=len(previous), changes=changes,
                            unknown_overrides=unknown_students(opts.overrides, students))

    def _done(self, path: Path) -> GradingResults | None:
        """The committed results of `path` (a copy: finishing adds to it), or a current results.json, or None."""
        name = submission_name(path)
        committed = self.ledger.committed(name, self.keys[path])
        return committed if committed is not None else finished_results(self.options.out / name, self.keys[path])

    def where(self) -> Where:
        """The cluster this batch grades on."""
        opts = self.options
        return Where(kind=opts.cluster, scheduler=opts.scheduler, jobs=opts.jobs,
                     allowed_failures=opts.allowed_failures, settings=opts.config.cluster)

    def _grade(self, gradebook, pending: list[Path], results: dict) -> None:
        """Grade `pending` on the cluster (started only when there is something to grade); finish each delivery."""
        if pending:
            opts = self.options
            grade_on_cluster(self.where(), opts.root, opts.settings, [Job(path, self.keys[path]) for path in pending],
                             opts.timeout, lambda job, delivery: self._collect(gradebook, job, delivery, results),
                             opts.progress)

    def _collect(self, gradebook, job: Job, delivery: Delivery, results: dict) -> None:
        """Commit one delivery to the ledger (once: a duplicate is dropped), then write its logs and finish it."""
        path, name = job.path, submission_name(job.path)
        try:
            graded = delivery.results
            if not graded.infrastructure_error:
                if not self.ledger.commit(name, job.key, graded, delivery.worker):
                    self.duplicates.append(name)
                    if path in results:  # already finished in this run: nothing to redo
                        return
                    graded = self.ledger.committed(name, job.key)
            target = self.options.out / name
            for file, text in (("grader.log", delivery.log), ("junit.xml", delivery.junit)):
                if text:
                    write_text_atomically(target / file, text)
        except Exception as error:  # noqa: BLE001 - one submission's trouble stays its own
            graded = GradingResults.infrastructure_failure(
                f"recording its result failed ({type(error).__name__}: {error})")
        results[path] = self._finish_one(gradebook, path, copy.deepcopy(graded))

    def _finish_one(self, gradebook, path: Path, results: GradingResults) -> GradingResults:
        """Finish one submission; an unexpected error in doing so is that submission's infrastructure error only."""
        try:
            return self.finish(gradebook, path, results, self.keys[path])
        except Exception as error:  # noqa: BLE001 - one bad submission must not stop the batch
            name = submission_name(path)
            failed = GradingResults.infrastructure_failure(f"finishing this submission failed ({type(error).__name__}: "
                                                           f"{error}); no grade was recorded, run the batch again once fixed")
            failed.student_id, failed.batch = name, BatchRecord(submission=name)
            write_json_atomically(self.options.out / name / "grader_error.json", failed.to_json())
            return failed

    def _settle_and_warn(self, gradebook, results: dict) -> list[str]:
        """Warn about files edited after packing; when several submissions claim one student id, the last on
        the command line is the gradebook's."""
        claims: dict[str, list[Path]] = {}
        for path in self.paths:
            if not results[path].infrastructure_error:
                claims.setdefault(results[path].student_id, []).append(path)
        records = {p: results[p].batch or BatchRecord() for p in self.paths}
        warnings = [f"{submission_name(p)}: {', '.join(records[p].changed_since_packing)} changed "
                    "after `course submit` packed it (the manifest's sha256 differs)"
                    for p in self.paths if records[p].changed_since_packing]
        if self.options.config.due is not None:  # no penalty could be computed: say so rather than be silent
            warnings += [f"{submission_name(p)}: {records[p].late['note']}" for p in self.paths
                         if records[p].late.get("note") and not results[p].infrastructure_error]
        for student, paths in claims.items():
            if len(paths) > 1:
                last = paths[-1]
                results[last] = self._finish_one(gradebook, last, results[last])
                warnings.append(f"student {student!r} is claimed by {', '.join(submission_name(p) for p in paths)}; "
                                f"the gradebook and CSV hold {submission_name(last)}'s grade")
        return warnings


def run_batch(paths: list[Path], options: BatchOptions) -> BatchOutcome:
    """Grade `paths` (folders or zips) into options.out; see the module docstring for what is written."""
    return Batch(paths, options).run()
