"""The batch: which submissions still need grading, grading them in parallel, and finishing each atomically.

A submission is finished when its results.json exists with a matching input hash (its content plus
the grader version). Finishing writes the feedback pages, then the gradebook row (one
transaction), then results.json (an atomic rename) last: a batch killed at any point loses no
finished grade, and re-running it grades only what is unfinished. A grader that crashes or runs
out of time gives no grade: an earlier result and gradebook row are kept (the failure goes to
grader_error.json), and the next run tries again.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..grading.config import load_config
from ..grading.submission import submission_name
from . import runner
from .atomic import write_json_atomically
from .course_config import CourseConfig
from .csv_export import write_csv
from .exercises import scores_by_exercise
from .feedback import write_feedback
from .fingerprint import grader_version, input_hash
from .gradebook import MAX_NAME, CourseGradebook, default_url
from .integrity import changed_since_packing
from .penalties import assess, split_penalty, submitted_at


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


@dataclass
class BatchOutcome:
    """Each submission's final results (by name, in command-line order), and which were graded now."""

    results: dict[str, dict]
    graded: list[str]
    skipped: list[str]
    csv: Path
    gradebook_url: str
    warnings: list[str] = field(default_factory=list)


def _finished(target: Path, key: str) -> dict | None:
    """The results.json in `target` if it is complete, current (same input hash) and not an infrastructure error."""
    try:
        results = json.loads((target / "results.json").read_text())
    except (OSError, ValueError):
        return None
    extra = results.get("extra_data", {}) if isinstance(results, dict) else {}
    if extra.get("input_hash") != key or extra.get("infrastructure_error"):
        return None
    return results


def student_of(results: dict, name: str) -> str:
    """The gradebook's student id: the manifest's (as the grader saw it) when usable, else the submission name."""
    student = results.get("extra_data", {}).get("student_id")
    if isinstance(student, str) and 0 < len(student) <= MAX_NAME and student.isprintable():
        return student
    return name[:MAX_NAME]


class Batch:
    """One run of `course grade` over many submissions."""

    def __init__(self, paths: list[Path], options: BatchOptions):
        self.paths, self.options = [Path(p) for p in paths], options
        names = [submission_name(p) for p in self.paths]
        clashes = sorted({n for n in names if names.count(n) > 1})
        if clashes:
            raise ValueError(f"several submissions would share an output folder: {', '.join(clashes)}; rename them")
        self.checks = load_config(options.root / "tests" / "graders" / "grading.toml")
        self.grader = grader_version(options.root)
        self.url = options.gradebook_url or options.config.gradebook_url or default_url(options.out)

    def finish(self, gradebook: CourseGradebook, path: Path, results: dict, key: str) -> dict:
        """Add late penalty and bookkeeping to `results`; write feedback, gradebook row, then results.json."""
        name, config = submission_name(path), self.options.config
        extra = results.setdefault("extra_data", {})
        student = student_of(results, name)
        manifest = extra.get("manifest") if isinstance(extra.get("manifest"), dict) else {}
        late = assess(manifest, config.due, config.late)
        penalties = split_penalty(scores_by_exercise(results, self.exercises), late["fraction"])
        penalty = round(sum(penalties.values()), 6)
        extra.update(student_id=student, submission=name, assignment=config.assignment, input_hash=key,
                     grader_version=self.grader, late=late, late_penalty=penalty,
                     final_score=round(max(0.0, float(results["score"]) - penalty), 6),
                     changed_since_packing=changed_since_packing(path, manifest))
        target = self.options.out / name
        if extra.get("infrastructure_error"):
            # Our failure, not the student's: no feedback, no gradebook row, and an earlier result stays.
            kept = (target / "results.json").is_file()
            write_json_atomically(target / ("grader_error.json" if kept else "results.json"), results)
            return results
        (target / "grader_error.json").unlink(missing_ok=True)
        write_feedback(target, results)
        gradebook.record(config.assignment, student, results, submitted_at(manifest), penalties)
        if _finished(target, key) != results:  # unchanged results stay byte-identical
            write_json_atomically(target / "results.json", results)
        return results

    def run(self) -> BatchOutcome:
        opts = self.options
        opts.out.mkdir(parents=True, exist_ok=True)
        keys = {path: input_hash(path, self.grader) for path in self.paths}
        results, graded, skipped = {}, [], []
        with CourseGradebook(self.url, opts.config.course_id) as gradebook:
            self.exercises = gradebook.define_assignment(opts.config.assignment, opts.config.due, self.checks)
            pending = []
            for path in self.paths:
                done = None if opts.force else _finished(opts.out / submission_name(path), keys[path])
                if done is None:
                    pending.append(path)
                else:  # resume: re-apply penalties and re-sync the gradebook, no regrading
                    results[path] = self.finish(gradebook, path, done, keys[path])
                    skipped.append(submission_name(path))
            self._grade(gradebook, pending, keys, results)
            graded = [submission_name(p) for p in pending]
            warnings = self._settle_and_warn(gradebook, results)
            csv = opts.out / "grades.csv"
            write_csv(csv, gradebook.rows(opts.config.assignment), self.exercises)
        ordered = {submission_name(p): results[p] for p in self.paths}
        return BatchOutcome(ordered, graded, skipped, csv, self.url, warnings)

    def _grade(self, gradebook, pending: list[Path], keys: dict, results: dict) -> None:
        """Keep `jobs` grader processes busy; finish each submission as soon as its process ends."""
        opts, queue, running = self.options, list(pending), []
        with tqdm(total=len(pending), desc="grading", unit="submission", disable=not opts.progress or not pending,
                  file=sys.stderr) as bar:
            try:
                while queue or running:
                    while queue and len(running) < max(1, opts.jobs):
                        path = queue.pop(0)
                        running.append(runner.start(path, opts.out / submission_name(path), opts.root, opts.timeout))
                    time.sleep(0.1)
                    for grading in [g for g in running if g.finished()]:
                        running.remove(grading)
                        results[grading.path] = self.finish(gradebook, grading.path, grading.results(), keys[grading.path])
                        bar.update()
            finally:
                for grading in running:
                    grading.kill()

    def _settle_and_warn(self, gradebook, results: dict) -> list[str]:
        """Warn about files edited after packing; when several submissions claim one student id, the last on
        the command line is the gradebook's."""
        claims: dict[str, list[Path]] = {}
        for path in self.paths:
            claims.setdefault(results[path]["extra_data"]["student_id"], []).append(path)
        warnings = [f"{submission_name(p)}: {', '.join(results[p]['extra_data']['changed_since_packing'])} changed "
                    "after `course submit` packed it (the manifest's sha256 differs)"
                    for p in self.paths if results[p]["extra_data"].get("changed_since_packing")]
        for student, paths in claims.items():
            if len(paths) > 1:
                last = paths[-1]
                self.finish(gradebook, last, results[last], keys_of(results[last]))
                warnings.append(f"student {student!r} is claimed by {', '.join(submission_name(p) for p in paths)}; "
                                f"the gradebook and CSV hold {submission_name(last)}'s grade")
        return warnings


def keys_of(results: dict) -> str:
    return results["extra_data"]["input_hash"]


def run_batch(paths: list[Path], options: BatchOptions) -> BatchOutcome:
    """Grade `paths` (folders or zips) into options.out; see the module docstring for what is written."""
    return Batch(paths, options).run()
