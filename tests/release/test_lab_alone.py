"""Does the lab notebook run alone, as Colab opens it: in an empty folder, where the course is not installed?

The kernel's Python sees this venv's packages (torch, Jupyter) through a .pth line, which does not run the
editable install's import hook: `course_lib` and `course_tools` are not importable there, as in Colab.
The lab is the site's download (site_hooks/downloads.py), which carries the student package.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest

from course_tools.release.notebooks import ASSIGNMENT, NOTEBOOK, RELEASE_DIR
from submissions import completed_labs

pytestmark = pytest.mark.slow  # a venv and a Jupyter kernel per test

ROOT = Path(__file__).resolve().parents[2]


def _downloads_hook():
    spec = importlib.util.spec_from_file_location("site_hook_downloads", ROOT / "site_hooks" / "downloads.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> Path:
    """A venv's python that imports this venv's packages but not the course (a .pth path, no import hook)."""
    home = tmp_path_factory.mktemp("bare venv")
    venv.create(home, with_pip=False)
    site = Path(sysconfig.get_paths(vars={"base": str(home), "platbase": str(home)})["purelib"])
    (site / "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = home / "bin" / "python"
    probe = subprocess.run([python, "-c", "import importlib.util as u; print(u.find_spec('course_tools'), "
                            "u.find_spec('torch') is not None)"], capture_output=True, text=True, cwd=home)
    assert probe.stdout.split() == ["None", "True"], probe  # the premise: the course is missing, torch is there
    return python


def execute(python: Path, notebook: dict, folder: Path, data_root) -> subprocess.CompletedProcess:
    """Run `jupyter nbconvert --execute` on `notebook`, alone in the empty `folder`, with the bare python's kernel."""
    folder.mkdir()
    (folder / NOTEBOOK).write_text(json.dumps(notebook))
    env = {**os.environ, "FASHION_MNIST_ROOT": str(data_root), "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}",
           "JUPYTER_PATH": "", "PYTHONPATH": ""}
    return subprocess.run([python, "-m", "nbconvert", "--to", "notebook", "--execute", NOTEBOOK, "--output", "executed",
                           "--ExecutePreprocessor.timeout=600"], capture_output=True, text=True, cwd=folder, env=env,
                          timeout=900)


def _output(executed: Path, grade_id: str) -> str:
    cell = next(c for c in json.loads(executed.read_text())["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join("".join(o.get("text", "")) for o in cell["outputs"])


def test_the_completed_download_runs_alone_and_checks_itself(bare_python, tmp_path, data_root):
    """Does the site's download, completed with the reference, run top to bottom in an empty folder, write the
    course's package beside it, and end with every public check passing and what to hand in?

    Oracle: the reference passes every public check (public_tests/checks.toml: 30 points, 14 checks)."""
    completed = json.loads((completed_labs(tmp_path / "completed") / NOTEBOOK).read_text())
    download = _downloads_hook().prepare_download(completed, NOTEBOOK, _downloads_hook().package_zip(ROOT))
    folder = tmp_path / "empty folder"
    run = execute(bare_python, download, folder, data_root)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "wrote course_lib/" in _output(folder / "executed.ipynb", "setup")
    report = _output(folder / "executed.ipynb", "check")
    assert "Public checks: 30/30 points, 14/14 passed." in report, report
    assert "To hand in:" in report
    assert (folder / "course_lib" / "softmax.py").is_file() and (folder / "public_tests" / "checks.toml").is_file()


def test_the_repositorys_copy_names_the_download_when_the_course_is_missing(bare_python, tmp_path, data_root):
    """Does the released notebook, which carries no package, stop at its set-up cell with what to do?"""
    released = json.loads((ROOT / RELEASE_DIR / ASSIGNMENT / NOTEBOOK).read_text())
    run = execute(bare_python, released, tmp_path / "empty", data_root)
    assert run.returncode != 0
    assert "download this notebook from the course site's exercises page" in run.stderr
