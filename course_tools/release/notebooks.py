"""Lab notebooks in nbgrader's source format, generated from solutions/course_lib/<module>.py.

One nbgrader assignment, ASSIGNMENT, holds one notebook per exercise module (01-softmax.ipynb ...).
Each definition of the module becomes a solution cell, each contract name a locked autograded test
cell: visible quick checks, then a `### BEGIN HIDDEN TESTS` block that runs the course's graders
(course_tools.release.notebook_grading) and evaluates to the points earned (nbgrader's partial credit).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import nbformat

from ..contract import contract_name
from ..judge.config import load_config
from ..site import page_url, site_url
from .modules import dependencies, read_parts
from .quick_checks import visible_check

ASSIGNMENT = "softmax-regression"
SOURCE_DIR = Path("solutions") / "notebooks"  # nbgrader's CourseDirectory.source_directory
RELEASE_DIR = Path("exercises")  # nbgrader's CourseDirectory.release_directory
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

HIDDEN = '''\
### BEGIN HIDDEN TESTS
# Autograding only: the course's graders (graders) run, sandboxed, on this submission's notebooks.
from course_tools.release.notebook_grading import earned_points
earned_points("{name}")
### END HIDDEN TESTS'''

LOAD_DEPENDENCIES = '''\

# {names}: yours, from {notebooks}. This runs that notebook's solution cells here.
import json
for _notebook in {files!r}:
    for _cell in json.load(open(_notebook, encoding="utf-8"))["cells"]:
        if _cell["metadata"].get("nbgrader", {{}}).get("solution"):
            exec("".join(_cell["source"]))
'''


def notebook_name(module: str, order) -> str:
    """The notebook of exercise `module`: 01-softmax.ipynb, numbered in course order."""
    return f"{list(order).index(module) + 1:02d}-{module}.ipynb"


def module_of(filename: str, order) -> str | None:
    """The exercise module of a notebook file name, or None for any other file."""
    return next((m for m in order if filename == notebook_name(m, order)), None)


def points_by_name(grading_toml: Path) -> dict[str, float]:
    """Points per contract name: the sum over its checks ('softmax: ...') in grading.toml."""
    points = defaultdict(float)
    for title, entry in load_config(grading_toml).items():
        points[contract_name(title)] += entry.points
    return dict(points)


def _cell(kind: str, source: str, cell_id: str, **nbgrader):
    make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    cell = make(source.rstrip("\n"))
    cell.id = cell_id
    if nbgrader:
        cell.metadata["nbgrader"] = {"grade_id": cell_id, "schema_version": 3, "task": False, **nbgrader}
    return cell


def _lesson(solutions: Path, page: str) -> str:
    """The lesson's address on the course site (mkdocs.yml's site_url beside solutions/), as the stubs name it."""
    return page_url(site_url(Path(solutions).resolve().parents[1]), page)


def build_notebook(solutions: Path, module: str, names, order, points: dict[str, float]):
    """Return the source notebook of `module` (nothing is written)."""
    parts = read_parts(solutions, module)
    deps = dependencies(solutions, module, order)
    total = sum(points.get(name, 0) for name in names)
    title = parts.docstring.splitlines()[0].removeprefix("Exercise: ").rstrip(".")
    title = title[:1].upper() + title[1:]
    intro = [
        f"<!-- Generated from solutions/course_lib/{module}.py by `course release`: edit that file, not this notebook. -->",
        f"# Lab {list(order).index(module) + 1}: {title}",
        "",
        f"Write {', '.join(f'`{n}`' for n in names)} (the module `course_lib/{module}.py` of the course) in the cells "
        "marked `# YOUR CODE HERE`, in place of `raise NotImplementedError()`. Keep the names and signatures: "
        f"each docstring states the contract{f', and the lesson <{_lesson(solutions, parts.lesson)}> explains it' if parts.lesson else ''}.",
        "",
        "Only the code in those cells is graded: put any import you add there too. The *autograder tests* cells "
        f"run quick checks you can see; grading then runs the course's full checks on your code ({total:g} points).",
    ]
    if deps:
        intro += ["", f"This lab uses your work from {', '.join(notebook_name(d, order) for d in deps)}: complete it first."]
    cells = [_cell("markdown", "\n".join(intro), "intro")]
    given = "# Given (read-only): run this cell first.\n" + "\n".join(parts.imports) + "\n"
    if deps:
        imported = sorted({name for _, names_ in parts.relative_imports for name in names_})
        given += LOAD_DEPENDENCIES.format(names=", ".join(imported), notebooks=" and ".join(notebook_name(d, order) for d in deps),
                                          files=[notebook_name(d, order) for d in deps])
    cells.append(_cell("code", given, "imports", grade=False, solution=False, locked=True))
    for definition in parts.definitions:
        cells.append(_cell("markdown", f"## `{definition.name}`", f"{definition.name}-heading"))
        if definition.has_solution:
            cells.append(_cell("code", definition.source, definition.name, grade=False, solution=True, locked=False))
        else:
            cells.append(_cell("code", definition.source, f"given-{definition.name}", grade=False, solution=False, locked=True))
        if definition.name in names:
            if not points.get(definition.name):
                raise ValueError(f"{module}.{definition.name} has no checks in grading.toml, so its test cell would be worth nothing")
            test = (f"# Autograder tests for `{definition.name}` ({points[definition.name]:g} points). "
                    f"Visible: quick checks.\n{visible_check(definition.name, definition.source)}{HIDDEN.format(name=definition.name)}")
            cells.append(_cell("code", test, f"test-{definition.name}", grade=True, solution=False, locked=True,
                               points=points[definition.name]))
    missing = set(names) - {d.name for d in parts.definitions}
    if missing:
        raise ValueError(f"solutions/course_lib/{module}.py does not define {sorted(missing)}")
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"},
                         "course": {"module": module, "generated_from": f"solutions/course_lib/{module}.py"}}
    nbformat.validate(notebook)
    return notebook


def generate_notebooks(solutions: Path, grading_toml: Path, exercises: dict) -> dict[str, str]:
    """Return {notebook filename: JSON text} of every source notebook (nothing is written)."""
    points, order = points_by_name(grading_toml), list(exercises)
    return {notebook_name(m, order): nbformat.writes(build_notebook(solutions, m, names, order, points)) + "\n"
            for m, names in exercises.items()}


def stale_notebooks(solutions: Path, grading_toml: Path, exercises: dict, target: Path) -> list[str]:
    """The source notebooks in `target` that differ from what `solutions` generates (or are missing)."""
    expected = generate_notebooks(solutions, grading_toml, exercises)
    return [name for name, text in expected.items()
            if not (target / name).is_file() or (target / name).read_text(encoding="utf-8") != text]


def write_notebooks(solutions: Path, grading_toml: Path, exercises: dict, target: Path) -> list[str]:
    """Write the source notebooks into `target`; remove stray ones; return the names that changed."""
    expected = generate_notebooks(solutions, grading_toml, exercises)
    target.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in expected.items():
        if not (target / name).is_file() or (target / name).read_text(encoding="utf-8") != text:
            (target / name).write_text(text, encoding="utf-8")
            changed.append(name)
    for stray in target.glob("*.ipynb"):
        if stray.name not in expected:
            stray.unlink()
            changed.append(stray.name)
    return changed
