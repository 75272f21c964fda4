"""The batch: which submissions still need grading, grading them in parallel, finishing each as it ends.

A submission is finished when its results.json exists with a matching input hash (its content plus
the grader version; see finish.py for the order of writes). Re-running a batch grades only what is
unfinished, so a killed batch resumes, and re-applies penalties and gradebook rows to the rest.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..grading.config import load_config
from ..grading.results import infrastructure_error_results
from ..grading.submission import submission_name
from . import runner
from .atomic import write_json_atomically
from .course_config import CourseConfig
from .csv_export import write_csv
from .fingerprint import grader_version, input_hash
from .finish import Finisher, finished_results
from .gradebook import CourseGradebook, default_url


@dataclass
class BatchOptions:
    """Where and how to grade; `gradebook_url` empty means sqlite in `out`."""

    root: Path
    out: Path
    config: CourseConfig = field(default_factory=CourseConfig)
    jobs: int = 1
    force: bool = False
    timeout: float = runner.DEFAULT_TIMEOUT
    gradebook_url: str = ""
    progress: bool = True
    grader_args: tuple[str, ...] = ()  # grading-plugin options, e.g. ("--only=softmax",)


@dataclass
class BatchOutcome:
    """Each submission's final results (by name, in command-line order), and which were graded now."""

    results: dict[str, dict]
    graded: list[str]
    skipped: list[str]
    csv: Path
    gradebook_url: str
    warnings: list[str] = field(default_factory=list)


class Batch:
    """One run of `course grade` over many submissions."""

    def __init__(self, paths: list[Path], options: BatchOptions):
        self.paths, self.options = [Path(p) for p in paths], options
        names = [submission_name(p) for p in self.paths]
        clashes = sorted({n for n in names if names.count(n) > 1})
        if clashes:
            raise ValueError(f"several submissions would share an output folder: {', '.join(clashes)}; rename them")
        self.checks = load_config(options.root / "tests" / "graders" / "grading.toml")
        self.grader = grader_version(options.root, options.grader_args)
        self.url = options.gradebook_url or options.config.gradebook_url or default_url(options.out)

    def run(self) -> BatchOutcome:
        opts = self.options
        opts.out.mkdir(parents=True, exist_ok=True)
        keys = self.keys = {path: input_hash(path, self.grader) for path in self.paths}
        results, graded, skipped = {}, [], []
        with CourseGradebook(self.url, opts.config.course_id) as gradebook:
            exercises = gradebook.define_assignment(opts.config.assignment, opts.config.due, self.checks)
            self.finish = Finisher(opts.config, exercises, self.grader, opts.out)
            pending = []
            for path in self.paths:
                done = None if opts.force else finished_results(opts.out / submission_name(path), keys[path])
                if done is None:
                    pending.append(path)
                else:  # resume: re-apply penalties and re-sync the gradebook, no regrading
                    results[path] = self._finish_one(gradebook, path, done)
                    skipped.append(submission_name(path))
            self._grade(gradebook, pending, keys, results)
            graded = [submission_name(p) for p in pending]
            warnings = self._settle_and_warn(gradebook, results)
            csv = opts.out / "grades.csv"
            write_csv(csv, gradebook.rows(opts.config.assignment), exercises)
        ordered = {submission_name(p): results[p] for p in self.paths}
        return BatchOutcome(ordered, graded, skipped, csv, self.url, warnings)

    def _grade(self, gradebook, pending: list[Path], keys: dict, results: dict) -> None:
        """Keep `jobs` grader processes busy; finish each submission as soon as its process ends."""
        opts, queue, running = self.options, list(pending), []
        tqdm.monitor_interval = 0  # no monitor thread: the grader processes are forked with a preexec_fn
        with tqdm(total=len(pending), desc="grading", unit="submission", disable=not opts.progress or not pending,
                  file=sys.stderr) as bar:
            try:
                while queue or running:
                    while queue and len(running) < max(1, opts.jobs):
                        path = queue.pop(0)
                        running.append(runner.start(path, opts.out / submission_name(path), opts.root, opts.timeout,
                                                    grader_args=opts.grader_args))
                    time.sleep(0.1)
                    for grading in [g for g in running if g.finished()]:
                        running.remove(grading)
                        results[grading.path] = self._finish_one(gradebook, grading.path, grading.results())
                        bar.update()
            finally:
                for grading in running:
                    grading.kill()

    def _finish_one(self, gradebook, path: Path, results: dict) -> dict:
        """Finish one submission; an unexpected error in doing so is that submission's infrastructure error only."""
        try:
            return self.finish(gradebook, path, results, self.keys[path])
        except Exception as error:  # noqa: BLE001 - one bad submission must not stop the batch
            name = submission_name(path)
            failed = infrastructure_error_results(f"finishing this submission failed ({type(error).__name__}: {error}); "
                                                  "no grade was recorded, run the batch again once fixed", 0.0)
            failed["extra_data"].update(student_id=name, submission=name, changed_since_packing=[])
            write_json_atomically(self.options.out / name / "grader_error.json", failed)
            return failed

    def _settle_and_warn(self, gradebook, results: dict) -> list[str]:
        """Warn about files edited after packing; when several submissions claim one student id, the last on
        the command line is the gradebook's."""
        claims: dict[str, list[Path]] = {}
        for path in self.paths:
            if not results[path]["extra_data"].get("infrastructure_error"):
                claims.setdefault(results[path]["extra_data"]["student_id"], []).append(path)
        warnings = [f"{submission_name(p)}: {', '.join(results[p]['extra_data']['changed_since_packing'])} changed "
                    "after `course submit` packed it (the manifest's sha256 differs)"
                    for p in self.paths if results[p]["extra_data"].get("changed_since_packing")]
        if self.options.config.due is not None:  # no penalty could be computed: say so rather than be silent
            warnings += [f"{submission_name(p)}: {results[p]['extra_data']['late']['note']}" for p in self.paths
                         if results[p]["extra_data"].get("late", {}).get("note")
                         and not results[p]["extra_data"].get("infrastructure_error")]
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
