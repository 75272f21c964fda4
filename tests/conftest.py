"""Shared fixtures: the repository root, the reference solution and the Fashion-MNIST sample."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from course_tools.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]

# The grading plugin (fixtures student, ref, gen, seed); it only activates when graders are collected.
pytest_plugins = ["course_tools.judge.plugin"]


# Fixtures that start processes: graders, sandboxed workers, Dask clusters, mkdocs, Chromium. A test using
# one, and every hidden grader (each runs the reference in the sandbox), is `slow`, so that
# `pytest -m "not slow"` stays the quick inner loop; the default run includes them all. A module whose every
# test starts processes (the `course` command, a judge, a child Python) says so itself: `pytestmark`.
PROCESS_FIXTURES = {"built_site", "browser", "graded", "batch", "six", "autograder_zip", "course", "question",
                    "released", "staged", "worker", "relocated_course", "scheduler", "whole_submissions"}


def pytest_collection_modifyitems(items):
    for item in items:
        if PROCESS_FIXTURES & set(item.fixturenames) or "graders" in item.path.parts:
            item.add_marker(pytest.mark.slow)


def sample_data_root() -> Path | None:
    """The data root: FASHION_MNIST_ROOT when set (and only it, as course_lib reads it), else ../shared/data."""
    env = os.environ.get("FASHION_MNIST_ROOT")
    candidates = [env] if env else [ROOT.parent / "shared" / "data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "FashionMNIST" / "raw" / "train-images-idx3-ubyte").is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def ref():
    """The reference modules: ref.softmax, ref.losses, ..."""
    return load_reference(ROOT / "solutions" / "course_lib")


@pytest.fixture
def reference_submission(tmp_path):
    """Make the reference as a submission under tmp_path: reference_submission(name="reference", replace=..., append=...)
    (tests/submissions.py; module-scoped fixtures call submissions.reference_submission directly)."""
    from submissions import reference_submission as make_copy  # here: graders bundles ship this conftest alone

    def make(name: str = "reference", **edits) -> Path:
        return make_copy(tmp_path / name, **edits)
    return make


@pytest.fixture(scope="session")
def data_root() -> Path:
    """The Fashion-MNIST data root; tests that need it are skipped, and say why, when it is absent."""
    found = sample_data_root()
    if found is None and os.environ.get("FASHION_MNIST_ROOT"):  # asked for data that is not there: a failure, not a skip
        pytest.fail(f"FASHION_MNIST_ROOT={os.environ['FASHION_MNIST_ROOT']} holds no FashionMNIST/raw/ files")
    if found is None:
        pytest.skip("no Fashion-MNIST: set FASHION_MNIST_ROOT or put the sample at ../shared/data")
    return found


@pytest.fixture(scope="session")
def scheduler(tmp_path_factory, data_root):
    """The address of one Dask cluster on 127.0.0.1 (a scheduler, two worker processes) that the batches of the
    whole session grade on with `course grade --scheduler`, as an instructor's batches share a cluster.

    Its workers grade this checkout (they run in it) on `data_root`, and fork warm judges (not daemons): each
    worker's warm parent and sandbox zygote start once per session instead of once per batch. The tests
    of the embedded cluster, of killed batches and of other course copies start their own."""
    from loopback_cluster import LoopbackCluster

    cluster = LoopbackCluster(tmp_path_factory.mktemp("scheduler"))
    env = {"DASK_DISTRIBUTED__WORKER__DAEMON": "False", "FASHION_MNIST_ROOT": str(data_root)}
    try:
        for i in range(2):
            cluster.add_worker(f"session-{i}", env)
        cluster.wait_for_workers(2)
        yield cluster.address
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def whole_submissions(tmp_path_factory, data_root, scheduler) -> dict[str, dict]:
    """results.json of every whole submission in tests/corpus/book/ and tests/corpus/learners/, by folder name,
    graded once for the session in one `course grade --jobs 2` on the session's Dask cluster."""
    folders = sorted(p for kind in ("book", "learners") for p in (ROOT / "tests" / "corpus" / kind).iterdir()
                     if (p / "course_lib").is_dir())
    assert len({p.name for p in folders}) == len(folders)  # results are filed by folder name
    out = tmp_path_factory.mktemp("whole-submissions") / "out"
    result = subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", *map(str, folders), "--out", str(out),
                             "--jobs", "2", "--quiet", "--data-root", str(data_root), "--scheduler", scheduler],
                            capture_output=True, text=True, cwd=ROOT, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    return {p.name: json.loads((out / p.name / "results.json").read_text()) for p in folders}


@dataclass
class RelocatedCourse:
    """A copy of the course under /tmp, in a path with spaces, run by a venv reached through a symlink."""

    root: Path
    python: Path  # <root>/venv link/bin/python; the link points at <root>/.venv
    # can a worker that dropped root (the container and unsafe modes) read torch & co.? Not from a clone whose
    # venv sits in a home folder of mode 700: then those modes must refuse, and say how to fix it
    packages_readable: bool


def readable_by_other_users(path: Path) -> bool:
    """Oracle from the file modes: can a process of another, unprivileged uid list `path` (every folder above
    it searchable by others, the folder itself readable)?"""
    path = Path(path).resolve()
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in (path, *path.parents)) and \
        bool(path.stat().st_mode & stat.S_IROTH)


COPY_IGNORED = (".venv", ".git", "site", "out", ".cache", "__pycache__", ".pytest_cache", "dist", "test-artifacts")


def base_python() -> str:
    """The system's own Python of this version when there is one (Debian's /usr/bin/python3.11), else ours."""
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    return str(system) if system.is_file() else sys._base_executable


@pytest.fixture(scope="session")
def relocated_course() -> RelocatedCourse:
    """The course copied to '/tmp/course clone …/course', with a venv made there whose packages are ours (a .pth)."""
    top = Path(tempfile.mkdtemp(prefix="course clone ", dir="/tmp"))
    os.chmod(top, 0o755)  # as a clone made by hand: a worker that dropped root may traverse it
    root = top / "course"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(*COPY_IGNORED))
    subprocess.run([base_python(), "-m", "venv", "--without-pip", str(root / ".venv")], check=True)
    packages = Path(sysconfig.get_paths(vars={"base": str(root / ".venv")})["purelib"])
    (packages / "course-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # torch & co., not copied
    for script in Path(sys.executable).parent.iterdir():  # console scripts (nbgrader's gradebook runs `alembic`)
        if not (root / ".venv" / "bin" / script.name).exists():
            (root / ".venv" / "bin" / script.name).symlink_to(script)
    (root / "venv link").symlink_to(root / ".venv")
    yield RelocatedCourse(root, root / "venv link" / "bin" / "python",
                          readable_by_other_users(Path(sysconfig.get_paths()["purelib"])))
    shutil.rmtree(top, ignore_errors=True)
