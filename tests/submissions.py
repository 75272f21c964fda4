"""The reference as a submission: the one way the tests build a submission folder from solutions/; and a
student's released copy, checked with `course check`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions" / "course_lib"


def reference_submission(folder: Path, *, replace: dict | None = None, append: dict | None = None) -> Path:
    """folder/course_lib/ holding the reference's modules (and helpers), edited; returns `folder`.

    replace: {module: (old, new)}, where `old` must occur exactly once in course_lib/<module>.py;
    append: {module: code} added at the end of course_lib/<module>.py (e.g. a hostile payload).
    """
    shutil.copytree(REFERENCE, Path(folder) / "course_lib")
    for module, (old, new) in (replace or {}).items():
        path = Path(folder) / "course_lib" / f"{module}.py"
        source = path.read_text()
        assert source.count(old) == 1, f"the edit must match exactly once in {module}.py: {old!r}"
        path.write_text(source.replace(old, new))
    for module, code in (append or {}).items():
        with open(Path(folder) / "course_lib" / f"{module}.py", "a") as f:
            f.write(code)
    return Path(folder)


def student_copy(root, tmp_path, solved=()):
    """A student's folder: the released course_lib and public_tests, with `solved` modules from the reference."""
    shutil.copytree(root / "course_lib", tmp_path / "course_lib")
    shutil.copytree(root / "public_tests", tmp_path / "public_tests")
    for module in solved:
        shutil.copy(root / "solutions" / "course_lib" / f"{module}.py", tmp_path / "course_lib" / f"{module}.py")
    return tmp_path


def course_check(folder, *args):
    return subprocess.run([sys.executable, "-m", "course_tools.cli", "check", *args, "--root", str(folder)],
                          capture_output=True, text=True, timeout=300)


LABS = ROOT / "exercises" / "softmax-regression"  # the released lab notebooks


def completed_labs(folder: Path, *, replace: dict | None = None, rename=lambda name: name, modules=None) -> Path:
    """folder/ holding the released lab notebooks, each solution cell holding the reference's definition of its
    grade_id (edited as reference_submission's `replace`), saved as `rename(file name)`; returns `folder`.
    With `modules`, only those exercise modules' cells are answered; the others stay as released."""
    import ast
    import json

    from course_tools.contract import MODULE_OF

    lib = reference_submission(Path(folder) / ".reference", replace=replace) / "course_lib"
    definitions = {}
    for module in lib.glob("*.py"):
        source = module.read_text()
        for node in ast.parse(source).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                definitions[node.name] = ast.get_source_segment(source, node)
    for lab in sorted(LABS.glob("*.ipynb")):
        notebook = json.loads(lab.read_text())
        for cell in notebook["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            answer = grade_id in definitions and (modules is None or MODULE_OF.get(grade_id) in modules)
            if cell["metadata"].get("nbgrader", {}).get("solution") and answer:
                cell["source"] = definitions[grade_id].splitlines(keepends=True)
        (Path(folder) / rename(lab.name)).write_text(json.dumps(notebook, indent=1))
    shutil.rmtree(lib.parent)
    return Path(folder)
