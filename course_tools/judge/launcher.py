"""The one way to run the judge on a submission: typed options in, Gradescope's results out.

`course grade`, the notebooks' hidden cells, Gradescope's run_autograder, PrairieLearn and the benchmarks
all call `start` or `grade` (`in_folder` gives the options and log of a judge that writes into a results folder);
`course check` runs the same pytest arguments in its own process. The judge is a trusted pytest session
with the grading plugin; it writes its results to a private file, so a crashed or killed judge can
never leave a half-written or outdated results.json behind.

Warm (the default): judges are forked from a multiprocessing forkserver that imported torch,
torchvision, pytest, the plugin and the reference once (warm.py) and never ran a tensor op (forking after a parallel op can deadlock,
pytorch #17199); each judge is a fresh process, and its workers are forked, each into fresh
namespaces, from this process's warm zygote inside the sandbox (sandbox/zygote.py; where it cannot
run, e.g. without root, workers start cold, confined the same way). Cold (`warm=False`, and inside
daemonic processes, which may not fork children): `python -m pytest` and cold workers.
Dask's worker processes are daemons unless `distributed.worker.daemon` is false: batch/cluster.py
sets it for the clusters it starts.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..grading_results import GradingResults
from ..paths import find_root, graders_dir
from ..sandbox import reaper

ROOT = find_root(Path(__file__).parent)
DEFAULT_TIMEOUT = 900.0  # seconds for one whole submission's judge
WARM_PRELOAD = ["course_tools.judge.warm"]  # torch, torchvision, pytest, the plugin, the reference


@dataclass(frozen=True)
class GraderSettings:
    """Batch-wide settings that change what a grade means, so they are part of the grader version."""

    only: tuple[str, ...] = ()  # exercise modules whose checks run; the others show 'not run'
    call_timeout: float | None = None  # seconds per call into student code (default: the plugin's)
    lang: str = "en"  # the language of the feedback (course_tools/i18n.py); check titles stay English keys

    def describe(self) -> str:
        """A stable text of the settings ('' for the defaults), for the grader version and its comparison."""
        parts = [f"only={','.join(self.only)}"] if self.only else []
        parts += [f"call-timeout={self.call_timeout:g}"] if self.call_timeout else []
        return " ".join(parts + ([f"lang={self.lang}"] if self.lang != "en" else []))


@dataclass(frozen=True)
class JudgeOptions:
    """What to grade and how: every way of grading passes these, never an argv or environment variable."""

    submission: Path
    root: Path = ROOT  # the course: its graders, reference and the released helpers
    tests: Path | None = None  # the checks to run (default: root/graders)
    grading_config: Path | None = None  # points and visibility (default: the tests' grading.toml)
    student_id: str | None = None  # overrides the manifest's (seeds the inputs)
    settings: GraderSettings = GraderSettings()
    sandbox: str | None = None  # COURSE_SANDBOX for this judge (default: inherited)
    junit: Path | None = None
    extra_env: dict = field(default_factory=dict)  # e.g. FASHION_MNIST_ROOT for the end-to-end checks
    warm: bool = True

    def pytest_args(self, results: Path, zygote: str | None = None) -> list[str]:
        """The judge's pytest arguments, writing Gradescope's results to `results` (workers from `zygote`)."""
        args = [str(self.tests or graders_dir(self.root)), "-q", "-p", "no:cacheprovider",
                "-p", "course_tools.judge.plugin", "--rootdir", str(self.root),
                "--submission", str(Path(self.submission).resolve()), "--results", str(results)]
        if self.grading_config:
            args.append(f"--grading-config={self.grading_config}")
        if self.student_id:
            args.append(f"--student-id={self.student_id}")
        if self.settings.only:
            args.append(f"--only={','.join(self.settings.only)}")
        if self.settings.call_timeout:
            args.append(f"--call-timeout={self.settings.call_timeout:g}")
        if self.settings.lang != "en":
            args.append(f"--lang={self.settings.lang}")
        if self.junit:
            args.append(f"--junitxml={self.junit}")
        if zygote:
            args.append(f"--zygote={zygote}")
        return args

    def warm_zygote(self) -> str | None:
        """The socket of this process's warm zygote, when this judge's workers can be forked from one."""
        from ..sandbox import MODE_ENV, zygote

        mode = self.sandbox or os.environ.get(MODE_ENV, "")
        if not self.warm or mode not in ("", "bubblewrap") or zygote.unavailable():
            return None
        try:
            started = zygote.shared()
            started.wait_ready()
        except (OSError, RuntimeError) as error:  # the cold, confined workers remain
            print(f"course grade: warm workers are unavailable, starting cold ones: {error}", file=sys.stderr)
            return None
        return started.socket_path

    def environment(self) -> dict[str, str]:
        """The judge's environment: ours, plus the sandbox mode and extra variables asked for."""
        env = dict(os.environ) | {k: str(v) for k, v in self.extra_env.items()}
        # only the judge's own plugin: an installed one (hypothesis' costs 2 s a session) must not change a grade
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        if self.sandbox:
            env["COURSE_SANDBOX"] = self.sandbox
        return env


def _judge_in_fork(args: list[str], env: dict, cwd: str, log: str) -> None:
    """The forked judge: fresh environment, output to the log, one thread, then the pytest session."""
    reaper.die_with_parent()
    os.setsid()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    import pytest
    import torch

    from .warm import forget_other_course

    forget_other_course(Path(cwd))
    torch.set_num_threads(1)  # the warm parent never started torch's thread pool; the judge needs none
    # A judge is one process: the reference's tqdm bars need no lock between processes. Their default, a
    # multiprocessing lock, registers with the batch's resource tracker and, as the judge ends with os._exit,
    # is reported as a leaked semaphore when the batch exits.
    from tqdm.std import tqdm

    tqdm.set_lock(threading.RLock())
    code = pytest.main(args)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(code))


_context = None
_context_lock = threading.Lock()  # a Dask worker's threads share one warm parent


def _forkserver():
    """The warm parent (one per process, started on first use, preloading torch, pytest and the plugin)."""
    global _context
    with _context_lock:
        if _context is None:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(WARM_PRELOAD)
        return _context


def prewarm() -> bool:
    """Start the warm parent now, so that its imports overlap other work; False where judges start cold."""
    if not warm_available():
        return False
    from multiprocessing import forkserver

    _forkserver()
    forkserver.ensure_running()  # returns at once; the server imports WARM_PRELOAD while we go on
    from ..sandbox import zygote

    if not zygote.unavailable():
        zygote.shared()  # its import of torch overlaps the forkserver's
    return True


def warm_available() -> bool:
    """Forking judges needs Linux's forkserver and a process allowed to have children (not a daemon)."""
    return "forkserver" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


class Judging:
    """A running judge: poll `finished()`, then read `results()`; `kill()` stops it and its worker."""

    def __init__(self, options: JudgeOptions, log: Path, timeout: float):
        self.options, self.log, self.timeout = options, Path(log), timeout
        self.partial = self.log.parent / f".partial-{uuid.uuid4().hex}.json"
        self.started = time.monotonic()
        self.warm = options.warm and warm_available()
        if self.warm:  # the first judge of this process: the warm parent and the zygote import torch side by side
            prewarm()
        zygote = options.warm_zygote() if self.warm else None
        args, env, cwd = options.pytest_args(self.partial, zygote), options.environment(), str(options.root)
        if self.warm:
            self._process = _forkserver().Process(target=_judge_in_fork, args=(args, env, cwd, str(self.log)))
            self._process.start()
        else:
            with open(self.log, "ab") as out:
                self._process = subprocess.Popen([sys.executable, "-m", "pytest", *args], stdin=subprocess.DEVNULL,
                                                 stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                                 start_new_session=True, preexec_fn=reaper.die_with_parent)

    @property
    def exitcode(self) -> int | None:
        return self._process.exitcode if self.warm else self._process.poll()

    def finished(self) -> bool:
        """True once the judge has exited or overrun its time limit (it is then killed)."""
        if self.exitcode is not None:
            return True
        if time.monotonic() - self.started > self.timeout:
            self.kill()
            return True
        return False

    def wait(self) -> None:
        """Block until the judge has exited or overrun its time limit (woken by its exit, not by polling)."""
        while not self.finished():
            seconds = min(1.0, max(0.01, self.timeout - (time.monotonic() - self.started)))
            if self.warm:
                self._process.join(seconds)
            else:
                try:
                    self._process.wait(seconds)
                except subprocess.TimeoutExpired:
                    pass

    def kill(self) -> None:
        if self.exitcode is None:
            self._process.kill()
        if self.warm:
            self._process.join()
        else:
            self._process.wait()

    def results(self) -> GradingResults:
        """The judge's results, or infrastructure-error results naming what failed (graded again later)."""
        elapsed = time.monotonic() - self.started
        try:
            results = GradingResults.from_json(json.loads(self.partial.read_text()))
            self.partial.unlink()
            return results
        except (OSError, ValueError):
            pass
        if elapsed > self.timeout:
            return GradingResults.infrastructure_failure(f"the grader ran longer than its {self.timeout:g} s limit", elapsed)
        return GradingResults.infrastructure_failure(f"the grader crashed (exit status {self.exitcode}; see {self.log})",
                                                     elapsed)


def start(options: JudgeOptions, log: Path, timeout: float) -> Judging:
    """Start judging; the judge's output goes to `log` (its folder also holds the private results file)."""
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    for stale in Path(log).parent.glob(".partial-*.json"):  # left by a killed batch
        stale.unlink(missing_ok=True)
    return Judging(options, Path(log), timeout)


def grade(options: JudgeOptions, log: Path, timeout: float) -> GradingResults:
    """Judge one submission and wait for it; return its results."""
    judging = start(options, log, timeout)
    try:
        judging.wait()
    finally:
        judging.kill()
    return judging.results()


def in_folder(path: Path, target: Path, root: Path, student_id: str | None = None,
              settings: GraderSettings = GraderSettings(), warm: bool = True) -> tuple[JudgeOptions, Path]:
    """(options, log) of one submission's judge writing into `target`: grader.log and junit.xml there, as the
    batch, Gradescope and PrairieLearn keep them beside results.json."""
    target.mkdir(parents=True, exist_ok=True)
    options = JudgeOptions(submission=Path(path), root=root, student_id=student_id, junit=target / "junit.xml",
                           settings=settings, warm=warm)
    return options, target / "grader.log"
