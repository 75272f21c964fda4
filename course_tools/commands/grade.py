"""Grade submissions (folders or zips) with the hidden graders, in parallel, resumably.

Writes DIR/<name>/results.json (Gradescope's format), feedback.md and feedback.html per
submission, a gradebook (nbgrader's database: DIR/gradebook.db unless course.toml or --gradebook
names another SQLAlchemy URL) and DIR/grades.csv (one row per student, one column per exercise,
late penalty applied). Submissions already graded with the same content and graders are skipped,
so an interrupted batch resumes; --force regrades them. Each submission is judged in its own
trusted pytest process with a time limit; student code runs in a sandboxed worker with memory
and CPU limits. Grading fails closed: it starts only after a self-check shows bubblewrap confining
a worker (see `course sandbox-check`); otherwise it exits 2 before any student code runs.
course.toml's [overrides] file (points given or excused by hand) is applied on every run, regrades
included (batch/overrides.py). Exit status: 0 when every submission was graded, whatever the scores;
1 when a grader crashed or ran out of time (run again to retry those); 2 for bad input or no working
sandbox, or when an override names a student no submission was graded as (the grades are written).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..course_config import (
    CourseConfigError,
    default_config_path,
    load_course_config,
)
from ..contract import EXERCISE_MODULES, unknown_modules
from ..i18n import activate, choose
from ..judge.launcher import DEFAULT_TIMEOUT
from ..lms import grading as lms_download
from ..paths import find_root, graders_dir, grading_config
from . import language



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="submission folders or .zip files")
    parser.add_argument("--out", type=Path, required=True, help="output folder: one sub-folder per submission, gradebook, CSV")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded in parallel (default 1)")
    parser.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        help="grade on this Dask scheduler's workers (default: $DASK_SCHEDULER_ADDRESS, else an "
                             "embedded cluster of one worker with --jobs threads); --jobs then only sets how many are in flight")
    parser.add_argument("--cluster", choices=("local", "slurm"), default="local",
                        help="local: embedded cluster (default); slurm: SLURM jobs through dask-jobqueue, as "
                             "course.toml's [cluster] says (pip install -e '.[cluster]')")
    parser.add_argument("--allowed-failures", type=int, default=3, metavar="N",
                        help="a submission whose worker is lost more than N times is an infrastructure error (default 3)")
    parser.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"seconds allowed per submission (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--config", type=Path, default=None, help="course config (default: course.toml at the course root)")
    parser.add_argument("--gradebook", default="", metavar="URL", help="SQLAlchemy URL of the gradebook (default: course.toml's, else sqlite in --out)")
    parser.add_argument("--root", type=Path, default=None, help="course root holding graders (default: found from cwd)")
    parser.add_argument("--data-root", type=Path, default=None, help="Fashion-MNIST root for the end-to-end checks (default: FASHION_MNIST_ROOT or the user cache)")
    parser.add_argument("--only", default=None, metavar="MODULES",
                        help="grade only the checks of these exercise modules, comma-separated (e.g. softmax,losses); "
                             "the others show 'not run' and score 0")
    parser.add_argument("--call-timeout", type=float, default=None, metavar="S",
                        help="seconds one call into student code may take (default: the plugin's, 15)")
    parser.add_argument("--quiet", action="store_true", help="no per-check summary, only the totals")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="run student code WITHOUT a sandbox (as COURSE_SANDBOX=none): only for code you trust. "
                             "As root the worker still drops to a fresh uid; as another user it can touch all your files")
    lms_download.add_arguments(parser)  # --from canvas|moodle, --worksheet
    language.add_argument(parser)


def _bad_input(paths: list[Path], root: Path, config: Path | None, only: str | None) -> str | None:
    """Why the command cannot start (missing paths, no graders, a bad course config), or None."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        return "\n".join(f"{path} does not exist" for path in missing)
    if not grading_config(root).is_file():
        return f"{root} has no graders/grading.toml: run it in the instructor's fork (or give --root)"
    if config and not Path(config).is_file():
        return f"{config} does not exist"
    unknown = unknown_modules(only) if only else []
    if unknown:
        return f"--only {only}: no exercise module {', '.join(unknown)}; the modules are {', '.join(EXERCISE_MODULES)}"
    return None


UNSAFE_BANNER = """\
course grade: WARNING: {how}: student code runs WITHOUT a sandbox. It can read your
files{rights}, use the network and see your processes. Grade only code you trust this way."""
CONTAINER_BANNER = """\
course grade: WARNING: {how}: the container is the only sandbox. Student code runs as a fresh
unprivileged uid, unconfined inside this container: grade untrusted code this way only in a container."""


def _sandbox_refusal(unsafe_no_sandbox: bool) -> str | None:
    """Why student code cannot be confined as required (with the fix), or None when grading may start."""
    from .. import sandbox
    from ..sandbox.selfcheck import self_check

    if unsafe_no_sandbox:
        os.environ[sandbox.MODE_ENV] = sandbox.NONE  # the graders' processes inherit the opt-in
    wanted = os.environ.get(sandbox.MODE_ENV, "").strip()
    how = "--unsafe-no-sandbox" if unsafe_no_sandbox else f"{sandbox.MODE_ENV}={wanted}"
    if wanted == sandbox.NONE:  # loud however it was asked for: the flag or the environment
        rights = "" if os.geteuid() == 0 else " and change or delete every file you can"
        print(UNSAFE_BANNER.format(how=how, rights=rights), file=sys.stderr)
    elif wanted == sandbox.CONTAINER:
        print(CONTAINER_BANNER.format(how=how), file=sys.stderr)
    report = self_check()
    return None if report.ok else "\n".join(report.lines())


class Refused(Exception):
    """Grading cannot start (bad input, no data, no working sandbox): exit status 2, nothing graded."""


def main(paths: list[Path], out: Path, *, jobs: int = 1, scheduler: str | None = None, cluster: str = "local",
         allowed_failures: int = 3, force: bool = False, timeout: float = DEFAULT_TIMEOUT, config: Path | None = None,
         gradebook: str = "", root: Path | None = None, data_root: Path | None = None, only: str | None = None,
         call_timeout: float | None = None, quiet: bool = False, unsafe_no_sandbox: bool = False,
         lms: str | None = None, worksheet: Path | None = None, lang: str | None = None) -> int:
    """`course grade`: grade `paths` into `out`; the exit status (0 all graded, 1 a grader failed, 2 refused)."""
    root, out, given = (root or find_root()).resolve(), Path(out).resolve(), [Path(p) for p in paths]
    try:
        paths, course, clock, lang = _prepare(given, out, root, config, only, lms, worksheet, lang)
        checks = _checks(root)  # read once: the overrides are checked against it, the batch grades with it
        overrides = _overrides(course, checks)
        _check_data(data_root)
        _refuse_unconfined(unsafe_no_sandbox)
        from ..batch.cluster import scheduler_from  # nbgrader and Dask only once there is grading to do
        from ..batch.run import BatchOptions, run_batch
        from ..judge.launcher import GraderSettings

        settings = GraderSettings(only=tuple(m.strip() for m in (only or "").split(",") if m.strip()),
                                  call_timeout=call_timeout, lang=lang)
        options = BatchOptions(root=root, out=out, config=course, jobs=jobs, force=force,
                               timeout=timeout, gradebook_url=gradebook, settings=settings,
                               scheduler=scheduler_from(scheduler), cluster=cluster,
                               allowed_failures=allowed_failures, clock=clock, overrides=overrides,
                               checks=checks)
        try:
            outcome = run_batch(paths, options)
        except ValueError as error:
            raise Refused(str(error)) from None
    except Refused as refusal:
        print("\n".join(f"course grade: {line}" for line in str(refusal).splitlines()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ncourse grade: interrupted; finished submissions are saved, run the same command to resume",
              file=sys.stderr)
        return 130
    if lms:
        lms_download.finish(lms, given, out, outcome.csv, course.assignment)
    return _report(outcome, quiet)


def _prepare(paths: list[Path], out: Path, root: Path, config: Path | None, only: str | None, lms: str | None,
             worksheet: Path | None, lang: str | None):
    """(paths, course config, the batch's Clock, language) once the input is valid; an LMS download read as
    submissions. Raises Refused."""
    problem = _bad_input(paths, root, config, only)
    if problem:
        raise Refused(problem)
    try:
        course = load_course_config(config or default_config_path(root))
    except CourseConfigError as error:
        raise Refused(str(error)) from None
    # feedback.md/.html (check titles included) are written here; results.json by the judges
    lang = activate(choose(lang, course.language), suites=[graders_dir(root)])
    if lms:  # an LMS's download: identity and lateness from the LMS (course_tools/lms)
        try:
            paths, course, clock = lms_download.prepare(lms, paths, worksheet, course, out)
        except ValueError as error:
            raise Refused(str(error)) from None
        return paths, course, clock, lang
    from ..batch.clock import RECEIPTS, Clock, read_receipts  # the plain route: the receipts, if course.toml names them

    try:
        clock = Clock(read_receipts(course.late.receipts), RECEIPTS) if course.late.receipts else Clock()
    except CourseConfigError as error:
        raise Refused(str(error)) from None
    return paths, course, clock, lang


def _checks(root: Path) -> dict:
    """The graders' checks (graders/grading.toml); raises Refused when the file is malformed."""
    from ..judge.config import load_config

    try:
        return load_config(grading_config(root))
    except ValueError as error:
        raise Refused(str(error)) from None


def _overrides(course, checks: dict) -> dict:
    """The instructor's overrides that course.toml names, checked against the graders' `checks`; raises Refused."""
    if course.overrides is None:
        return {}
    from ..batch.overrides import read_overrides

    try:
        return read_overrides(course.overrides, checks)
    except CourseConfigError as error:
        raise Refused(str(error)) from None


def _refuse_unconfined(unsafe_no_sandbox: bool) -> None:
    """Raise Refused, with the self-check's findings and fix, unless student code can be confined as required."""
    refusal = _sandbox_refusal(unsafe_no_sandbox)
    if refusal:
        raise Refused(refusal)


def _check_data(data_root: Path | None) -> None:
    """The end-to-end checks need Fashion-MNIST: missing data is our problem, not the students' (Refused)."""
    from course_lib.idx import ROOT_ENV_VAR, FashionMNISTNotFoundError, check_raw_files  # torch-free: the judges load

    if data_root:
        os.environ[ROOT_ENV_VAR] = str(Path(data_root).resolve())
    try:
        check_raw_files()
    except (FashionMNISTNotFoundError, ValueError) as error:
        raise Refused(f"cannot grade without Fashion-MNIST.\n{error}") from None


def _report(outcome, quiet: bool) -> int:
    """Print each submission's verdict (and summary unless `quiet`), the warnings and the totals; the exit
    status: 1 when a grader crashed or ran out of time, else 0."""
    infrastructure = 0
    for name, result in outcome.results.items():
        batch = result.batch
        penalty = f" (late: -{batch.late_penalty:g} -> {result.final_score:g})" if batch and batch.late_penalty else ""
        verdict = (result.score_line() if result.graded else
                   "grader error, no grade" if result.infrastructure_error else "not gradable, 0")
        print(f"\n== {name} [{result.student_id}]: {verdict}{penalty}"
              + ("  (already graded)" if name in outcome.skipped else ""))
        if not quiet:
            print("\n".join(result.summary_lines()))
        infrastructure += result.infrastructure_error
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"\ngraded {len(outcome.graded)}, already graded {len(outcome.skipped)}; "
          f"gradebook {outcome.gradebook_url}; CSV {outcome.csv}")
    if outcome.regraded:
        print(_regrade_summary(outcome))
    for line in outcome.unknown_overrides:  # the grades are written; the file needs fixing
        print(f"course grade: {line}", file=sys.stderr)
    return 1 if infrastructure else 2 if outcome.unknown_overrides else 0


def _regrade_summary(outcome) -> str:
    """One line when a regrade changed no final score; else a line per student whose score changed."""
    from ..batch.regrade import CHANGES_NAME

    where = outcome.csv.with_name(CHANGES_NAME)
    if not outcome.changes:
        return f"regraded {outcome.regraded} submissions: no final score changed ({where})"
    lines = [f"regraded {outcome.regraded} submissions: {len(outcome.changes)} final scores changed ({where}):"]
    lines += [f"  {c.student_id}: {c.old:g} -> {c.new:g} ({'; '.join(c.checks) or 'the late penalty'})"
              for c in outcome.changes]
    return "\n".join(lines)
