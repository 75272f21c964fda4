"""What the lab notebooks' hidden test cells run at autograde time: the course's graders, on the notebooks.

`nbgrader autograde` executes each notebook of submitted/<student>/<assignment>/ in a kernel whose
working folder is autograded/<student>/<assignment>/. `earned_points(name)` turns every notebook of
the *submitted* folder into course_lib/<module>.py (the reference's preamble, then the student's
solution cells), grades that once with graders in a separate pytest process (whose student
code runs in the sandboxed worker), prints each check of `name` with its hint, and returns the
points earned: the cell's value, which nbgrader takes as partial credit. The grading is cached by
content, so the other cells and notebooks of the submission reuse it.

nbgrader itself runs the student's notebook code unsandboxed in the kernel; for untrusted
submissions, grade course_lib/ submissions with `course grade` (or run autograde in a container).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import warnings
from pathlib import Path

from ..grading_results import GradingResults
from ..judge.fingerprint import grader_version
from ..contract import EXERCISES, EXERCISE_MODULES, contract_name
from ..judge.launcher import DEFAULT_TIMEOUT, JudgeOptions, grade
from ..paths import find_root, solutions_lib
from .modules import read_parts
from .notebooks import module_of

ROOT = find_root(Path(__file__).parent)


def _cells(notebook: Path) -> list[dict]:
    try:
        return json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return []  # an unreadable notebook counts as missing: its module is graded as the stub


def _student_code(cell: dict) -> bool:
    """Solution cells, and given definitions that belong to the module (locked 'given-*' cells)."""
    meta = (cell.get("metadata") or {}).get("nbgrader") or {}
    return cell.get("cell_type") == "code" and (meta.get("solution") or str(meta.get("grade_id", "")).startswith("given-"))


def notebook_module(notebook: Path, solutions: Path) -> str:
    """course_lib/<module>.py from a lab notebook: the reference's preamble (imports), then the notebook's code cells."""
    module = module_of(notebook.name, EXERCISE_MODULES)
    code = ["".join(cell["source"]) if isinstance(cell.get("source"), list) else str(cell.get("source", ""))
            for cell in _cells(notebook) if _student_code(cell)]
    return read_parts(solutions, module).preamble.rstrip() + "\n\n\n" + "\n\n\n".join(code) + "\n"


def submitted_folder(cwd: Path) -> tuple[Path, str]:
    """The folder holding the student's notebooks, and the student id, for a kernel running in `cwd`.

    Under autograde the kernel runs in the autograded copy, which holds only the notebooks graded
    so far; the submitted folder, found through the course's nbgrader_config.py, holds them all.
    Anywhere else (an instructor running a source notebook) it is `cwd` itself.
    """
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        for root in cwd.parents:
            if (root / "nbgrader_config.py").is_file():
                coursedir = _course_directory(root)
                pattern = coursedir.format_path(coursedir.autograded_directory, "(?P<student_id>[^/]+)",
                                                "(?P<assignment_id>[^/]+)", escape=True)
                match = re.fullmatch(pattern, str(cwd))
                if match:
                    return Path(coursedir.format_path(coursedir.submitted_directory, match["student_id"],
                                                      match["assignment_id"])), match["student_id"]
    return cwd, cwd.parent.name


def _course_directory(root: Path):
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(root)
    return coursedir


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "softmax-course-notebook-grades"
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    return base


def grade_modules(modules: dict[str, str], student_id: str, root: Path = ROOT) -> GradingResults:
    """The results of the course's graders on `modules` ({module: source}); cached by content."""
    from course_lib.data import FashionMNISTNotFoundError, load_fashion_mnist_tensors, resolve_data_root

    # the data root is part of the key: the end-to-end checks train on it
    key = json.dumps([student_id, sorted(modules.items()), grader_version(root), str(resolve_data_root().resolve())])
    cached = _cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()}.json"
    if cached.is_file():
        try:
            return GradingResults.from_json(json.loads(cached.read_text()))
        except ValueError:  # an unreadable cache entry is graded again
            cached.unlink(missing_ok=True)

    try:  # missing data is the instructor's problem: fail loudly rather than grade the end-to-end checks 0
        load_fashion_mnist_tensors(False)
    except (FashionMNISTNotFoundError, ValueError) as error:
        raise RuntimeError(f"cannot autograde without Fashion-MNIST; set FASHION_MNIST_ROOT and run autograde again.\n{error}") from None
    with tempfile.TemporaryDirectory(prefix="course-notebook-") as tmp:
        submission = Path(tmp) / "submission"
        (submission / "course_lib").mkdir(parents=True)
        for module, source in modules.items():
            (submission / "course_lib" / f"{module}.py").write_text(source, encoding="utf-8")
        (submission / "submission.json").write_text(json.dumps({"student_id": student_id}))
        log = Path(tmp) / "grader.log"
        results = grade(JudgeOptions(submission=submission, root=root, warm=False), log, DEFAULT_TIMEOUT)
        if results.infrastructure_error:
            raise RuntimeError(f"the graders could not grade ({results.output}):\n{log.read_text(errors='replace')[-3000:]}")
    cached.write_text(json.dumps(results.to_json()))
    return results


def earned_points(name: str, cwd: Path | None = None) -> float:
    """Grade the submission around `cwd` (default: the kernel's folder); print `name`'s checks; return their points."""
    if not any(name in names for names in EXERCISES.values()):
        raise ValueError(f"{name!r} is not a contract name (course_tools/contract.py)")
    with warnings.catch_warnings():  # anything on stderr would make nbgrader give the cell no credit
        warnings.simplefilter("ignore")
        folder, student_id = submitted_folder(Path(cwd or os.getcwd()).resolve())
        modules = {module_of(nb.name, EXERCISE_MODULES): notebook_module(nb, solutions_lib(ROOT))
                   for nb in sorted(folder.glob("*.ipynb")) if module_of(nb.name, EXERCISE_MODULES)}
        results = grade_modules(modules, student_id)
    if results.not_gradable:
        print(results.output or "not gradable")
        return 0.0
    earned = 0.0
    for test in results.tests:
        if contract_name(test.name) == name:
            earned += test.score
            print(test.line())
            if not test.passed and test.output:
                print("    " + test.output.replace("\n", "\n    "))
    return earned
