"""The pytest plugin that turns graders into a grader: staging, fixtures, points, results.

Options: --submission PATH (default: this repository's solutions/), --results FILE (Gradescope's
results.json), --student-id ID, --grading-config FILE. Student code only ever runs in the worker.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import torch

from ..contract import EXERCISE_MODULES, check_module, unknown_modules
from ..i18n import LANGUAGES, activate
from ..paths import find_root, solutions_lib, student_lib
from ..paths import grading_config as default_grading_config
from ..reference import load_reference
from .causes import link
from .checks import Mistake
from ..sandbox.client import SandboxError, Worker
from ..sandbox.zygote import stages_of
from .config import load_config
from .outcome import Outcome
from ..grading_results import GradingResults
from .results import build_results, failure_output
from .student import Student
from ..submission_reader import NotGradable
from .submission import stage, student_seed

ROOT = find_root(Path(__file__).parent)


def pytest_addoption(parser):
    group = parser.getgroup("course grading")
    group.addoption("--submission", default=None, help="submission folder or zip (default: solutions/)")
    group.addoption("--results", default=None, help="write Gradescope's results.json here")
    group.addoption("--student-id", default=None, help="override the manifest's student id (seeds the inputs)")
    group.addoption("--grading-config", default=None, help="points and visibility (default: graders/grading.toml)")
    group.addoption("--reference", default=None, help="the reference course_lib (default: solutions/course_lib)")
    group.addoption("--only", default=None, help="grade only the checks of these exercise modules, comma-separated "
                    "(e.g. softmax,losses); the others are reported as not run")
    group.addoption("--call-timeout", type=float, default=15.0, help="seconds a call into student code may take "
                    "unless its check allows more (default 15)")
    group.addoption("--zygote", default=None, help="the socket of a warm zygote to fork each sandboxed worker from "
                    "(set by the launcher; default: cold workers)")
    group.addoption("--own-code", action="store_true", help="`course check` only: run the student's own code in this "
                    "process, unconfined; refused unless every check is visible (the public checks, never the graders)")
    group.addoption("--lang", default="en", choices=LANGUAGES, help="the language of the feedback (default en); "
                    "the check titles in results.json stay English, as gradebooks key on them")


class GradingSession:
    """State for one graded submission: the staged files, its worker, and each check's outcome."""

    def __init__(self, config):
        self.config, self.start = config, time.monotonic()
        opt = config.getoption
        self.submission = Path(opt("--submission") or ROOT / "solutions")
        course = Path(config.rootpath)  # the judge's course root (--rootdir): its graders, points and reference
        grading_config = Path(opt("--grading-config") or default_grading_config(course))
        self.checks = load_config(grading_config)
        activate(opt("--lang"), suites=[grading_config.parent])  # the suite's own catalogue sits beside it
        self.reference_dir = Path(opt("--reference") or solutions_lib(course))
        zygote = opt("--zygote")  # its workers see only stages inside its own folder
        self.workdir = Path(tempfile.mkdtemp(prefix="course-grade-", dir=stages_of(zygote) if zygote else None))
        self.outcomes: dict[str, Outcome] = {}
        self.builds_on: dict[str, tuple[str, ...]] = {}  # end-to-end check -> the modules it runs (causes.link)
        self.not_gradable = self.infrastructure = None
        try:
            self.staged = stage(self.submission, student_lib(ROOT), self.workdir / "stage")
            if opt("--student-id"):
                self.staged.student_id = opt("--student-id")
        except NotGradable as error:
            self.staged, self.not_gradable = None, str(error)
        self.worker = self._worker(opt("--own-code"), opt("--call-timeout"), zygote) if self.staged else None

    def _worker(self, own_code: bool, timeout: float, zygote: str | None):
        """The sandboxed worker; in this process only for the student's own practice checks, all of them visible."""
        if not own_code:
            return Worker(self.staged.dir, timeout=timeout, zygote=zygote)
        hidden = [title for title, entry in self.checks.items() if entry.visibility != "visible"]
        if hidden:  # fail closed: a grade's checks never run the student's code unconfined
            raise pytest.UsageError(f"--own-code runs only visible checks; {len(hidden)} are not, e.g. {hidden[0]!r}")
        from ..own_code import InProcessWorker

        return InProcessWorker(self.staged.dir, timeout=timeout)

    def record(self, title, hint, passed, error=None):
        entry = self.checks[title]
        output = "" if passed else failure_output(error, hint, entry.visibility)
        self.outcomes[title] = Outcome(passed, output, getattr(error, "cause", None), getattr(error, "crash", None))

    def finish(self):
        if self.worker:
            self.worker.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        elapsed = time.monotonic() - self.start
        if self.infrastructure:  # the machine failed, not the student: no grade, so that it is graded again
            return GradingResults.infrastructure_failure(self.infrastructure, elapsed)
        if self.not_gradable:
            return GradingResults.not_gradable_because(self.not_gradable, elapsed)
        # one root cause, one message (causes.py); one crash, one message (crash_groups.py)
        causes, crashes = link(self.outcomes, self.builds_on, list(self.checks))
        return build_results(self.checks, self.outcomes, self.staged, elapsed, causes, crashes)


def _grading(config) -> GradingSession:
    return config.stash[_KEY]


_KEY = pytest.StashKey[GradingSession]()


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): points a grader check is worth (set from grading.toml)")


def pytest_collection_modifyitems(session, config, items):
    graders = [item for item in items if hasattr(getattr(item, "function", None), "check_title")]
    if not graders:
        return
    state = config.stash[_KEY] = GradingSession(config)
    for item in graders:
        title = item.function.check_title
        if title not in state.checks:
            raise pytest.UsageError(f"grader {item.nodeid} ({title!r}) has no entry in grading.toml")
        item.add_marker(pytest.mark.points(state.checks[title].points))
        if getattr(item.function, "check_builds_on", ()):
            state.builds_on[title] = item.function.check_builds_on
    if state.not_gradable:
        config.hook.pytest_deselected(items=list(items))
        items[:] = []
    only = config.getoption("--only")
    if only:
        modules = set(only.split(","))
        if unknown_modules(only):
            raise pytest.UsageError(f"--only {only}: the exercise modules are {', '.join(EXERCISE_MODULES)}")
        skipped = [i for i in graders if i in items and check_module(i.function.check_title) not in modules]
        config.hook.pytest_deselected(items=skipped)
        items[:] = [i for i in items if i not in skipped]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    title = getattr(getattr(item, "function", None), "check_title", None)
    if title and (report.when == "call" or report.failed):
        error = call.excinfo.value if call.excinfo else None
        if isinstance(error, SandboxError):
            _grading(item.config).infrastructure = str(error)
        elif report.when == "setup" and report.failed and not _grading(item.config).infrastructure:
            # the fixtures (fashion, ref, gen...) run no student code: their failure is ours, not the student's
            _grading(item.config).infrastructure = (f"setting up {title!r} failed "
                                                    f"({type(error).__name__ if error else 'error'}: {error})")
        if not (report.when == "call" and report.passed):
            _grading(item.config).record(title, item.function.check_hint, False, error)
        elif title not in _grading(item.config).outcomes:
            _grading(item.config).record(title, item.function.check_hint, True)
        if isinstance(error, Mistake):  # short, teaching failure text instead of a traceback
            report.longrepr = failure_output(error, item.function.check_hint, "visible")
    return report


def pytest_sessionfinish(session, exitstatus):
    state = session.config.stash.get(_KEY, None)
    if state is None:
        return
    if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and not state.not_gradable \
            and not state.infrastructure:  # interrupted (e.g. a grader file failed to collect): not a grade
        state.infrastructure = (f"the grader session was interrupted (pytest exit status {int(exitstatus)}: "
                                f"{getattr(exitstatus, 'name', 'unexpected')}); see grader.log")
    results = state.finish()
    session.config.stash[_RESULTS] = results
    target = session.config.getoption("--results")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(json.dumps(results.to_json(), indent=2))
    if state.not_gradable:
        session.exitstatus = pytest.ExitCode.OK


_RESULTS = pytest.StashKey[GradingResults]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    results = config.stash.get(_RESULTS, None)
    if results is not None:
        terminalreporter.section("grade")
        for line in results.summary_lines():
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def grading(request) -> GradingSession:
    return _grading(request.config)


@pytest.fixture(scope="session")
def student(grading) -> Student:
    """The submission, reachable only through probes run in its sandboxed worker."""
    return Student(grading.staged, grading.worker)


@pytest.fixture(scope="session")
def ref(grading):
    """The reference modules (trusted; loaded in this process)."""
    return load_reference(grading.reference_dir)


@pytest.fixture
def gen(grading, request) -> torch.Generator:
    """A generator seeded from the student id and the test, so inputs differ per student."""
    return torch.Generator().manual_seed(student_seed(grading.staged.student_id, request.node.name))


@pytest.fixture
def seed(grading, request) -> int:
    """An int seed from the student id and the test (for torch.manual_seed in the worker)."""
    return student_seed(grading.staged.student_id, request.node.name) % (2**31)
