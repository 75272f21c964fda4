"""The lab notebook's last cell: the public checks on the code of the notebook's own cells, and what to hand in.

The kernel keeps each cell's source (IPython registers it with linecache, so its code objects point at
it). The cell that last defined each contract name is read back from there, never from the notebook's
file, which Colab does not have. The cells go, as solution cells named by their contract names, into a
notebook in a temporary folder, and `course check --notebook` checks it in a separate process, reading
it as the graders read a handed-in notebook (notebook_answers.py).
"""

from __future__ import annotations

import inspect
import json
import linecache
import subprocess
import sys
import tempfile
from pathlib import Path

from .contract import MODULE_OF
from .i18n import _
from .paths import find_root

NOTEBOOK_NAME = "lab.ipynb"  # any name: answers are matched by their cells' grade_id


def _code_file(obj) -> str | None:
    """The file name of the code that defined a function, or a class's first method; None for other objects."""
    members = list(vars(obj).values()) if inspect.isclass(obj) else [obj]
    functions = [inspect.unwrap(f) for f in members if inspect.isfunction(f)]
    return functions[0].__code__.co_filename if functions else None


def answer_cells(namespace: dict) -> dict[str, str]:
    """{contract name: the source of the cell that last defined it}, for each contract name `namespace` defines
    in a cell whose source the kernel kept."""
    found = {}
    for name in MODULE_OF:
        filename = _code_file(namespace[name]) if name in namespace else None
        lines = linecache.getlines(filename) if filename else []
        if lines:
            found[name] = "".join(lines)
    return found


def lab_notebook(cells: dict[str, str]) -> dict:
    """A notebook (nbformat 4) holding each cell as the solution cell of its contract name."""
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
            "cells": [{"cell_type": "code", "id": name, "execution_count": None, "outputs": [], "source": source,
                       "metadata": {"nbgrader": {"grade_id": name, "solution": True}}}
                      for name, source in cells.items()]}


def hand_in_message() -> str:
    """What to hand in, for Colab or for a Jupyter in the course's folder."""
    if "google.colab" in sys.modules:
        return _("To hand in: File > Download > Download .ipynb, then upload that notebook where your instructor "
                 "says. Its file name does not matter.")
    return _("To hand in: save this notebook, then run `course submit --student-id YOUR_ID` in the course's folder "
             "(it packs this notebook with your modules), or upload the notebook itself where your instructor says.")


def check_lab(namespace: dict, root: Path | None = None) -> int:
    """Check the contract names defined in `namespace` (the notebook's globals()); print the checks' report and
    what to hand in; return `course check`'s exit status."""
    root = Path(root or find_root()).resolve()
    cells = answer_cells(namespace)
    missing = sorted(set(MODULE_OF) - set(cells))
    if missing:
        print(_("Not defined yet (run their cells first): {names}").format(names=", ".join(missing)))
    with tempfile.TemporaryDirectory(prefix="course-lab-") as tmp:
        notebook = Path(tmp) / NOTEBOOK_NAME
        notebook.write_text(json.dumps(lab_notebook(cells)), encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "course_tools.cli", "check", "--root", str(root),
                              "--notebook", str(notebook)], cwd=root, capture_output=True, text=True)
    print(run.stdout + run.stderr)
    print(hand_in_message())
    return run.returncode
