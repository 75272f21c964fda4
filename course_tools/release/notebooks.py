"""The lab notebook in nbgrader's source format, generated from solutions/course_lib/.

One nbgrader assignment, ASSIGNMENT, holds one notebook, NOTEBOOK, with a part per exercise module in
course order, so a later part uses the student's own earlier answers from the same kernel: no lab reads
another file, and the notebook runs alone (Colab opens it so). Its cells:
- the set-up (lab_setup.py): installs what is missing, and unpacks the student package where the site's
  download embeds it;
- per module: its imports, each definition (a solution cell named by its contract name, nbgrader's
  `grade_id`), and per contract name a locked test cell worth its grading.toml points, holding quick checks;
- the last cell: the public checks on the notebook's own code (course_tools/lab_check.py), and what to upload.
Grading never runs the notebook: `course grade` reads its solution cells (notebook_answers.py).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import nbformat

from ..contract import contract_name
from ..judge.config import load_config
from ..site import page_url, site_url
from .lab_setup import setup_cell
from .modules import read_parts
from .quick_checks import visible_check

ASSIGNMENT = "softmax-regression"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
SOURCE_DIR = Path("solutions") / "notebooks"  # nbgrader's CourseDirectory.source_directory
RELEASE_DIR = Path("exercises")  # nbgrader's CourseDirectory.release_directory
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

CHECK = """\
# Check your work (read-only): the public checks run on the code of this notebook's cells, as
# `course check` does; then this cell says what to hand in. Run every cell above first.
from course_tools.lab_check import check_lab
check_lab(globals())"""


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


def _title(docstring: str) -> str:
    title = docstring.splitlines()[0].removeprefix("Exercise: ").rstrip(".")
    return title[:1].upper() + title[1:]


def _part(solutions: Path, number: int, module: str, names, points: dict[str, float], imported: set[str]) -> list:
    """The cells of one exercise module: heading, the imports that no earlier part made (`imported`, updated),
    its definitions and their test cells."""
    parts = read_parts(solutions, module)
    missing = set(names) - {d.name for d in parts.definitions}
    if missing:
        raise ValueError(f"solutions/course_lib/{module}.py does not define {sorted(missing)}")
    total = sum(points.get(name, 0) for name in names)
    heading = [f"## Part {number}: {_title(parts.docstring)} ({total:g} points)", "",
               f"Write {', '.join(f'`{n}`' for n in names)} (`course_lib/{module}.py` of the course)."]
    if parts.lesson:
        heading.append(f"The lesson <{_lesson(solutions, parts.lesson)}> explains it.")
    if parts.relative_imports:
        used = sorted({name for _, imported in parts.relative_imports for name in imported})
        heading += ["", f"It uses your {', '.join(f'`{n}`' for n in used)} from the parts above."]
    cells = [_cell("markdown", "\n".join(heading), f"part-{module}")]
    new = [line for line in parts.imports if line not in imported]
    if new:
        cells.append(_cell("code", "# Given (read-only).\n" + "\n".join(new), f"imports-{module}",
                           grade=False, solution=False, locked=True))
        imported.update(new)
    for definition in parts.definitions:
        if not definition.has_solution:
            raise ValueError(f"solutions/course_lib/{module}.py: {definition.name} holds no solution region; "
                             "given code belongs in course_lib's helper modules")
        cells.append(_cell("markdown", f"### `{definition.name}`", f"{definition.name}-heading"))
        cells.append(_cell("code", definition.source, definition.name, grade=False, solution=True, locked=False))
        if definition.name in names:
            if not points.get(definition.name):
                raise ValueError(f"{module}.{definition.name} has no checks in grading.toml, so its test cell would be worth nothing")
            test = (f"# Quick checks of `{definition.name}` (read-only). Grading runs the course's full checks on "
                    f"your code instead, for {points[definition.name]:g} points.\n"
                    f"{visible_check(definition.name, definition.source)}")
            cells.append(_cell("code", test, f"test-{definition.name}", grade=True, solution=False, locked=True,
                               points=points[definition.name]))
    return cells


def build_notebook(solutions: Path, exercises: dict, points: dict[str, float]):
    """Return the source notebook of the assignment: one part per module of `exercises`, in its order."""
    total = sum(points.get(name, 0) for names in exercises.values() for name in names)
    intro = [
        "<!-- Generated from solutions/course_lib/ by `course release`: edit those files, not this notebook. -->",
        "# Lab: softmax regression on Fashion-MNIST",
        "",
        f"{len(exercises)} parts, one per module of the course's `course_lib/`, in course order: later parts use "
        "your answers to earlier ones. Write each function in the cells marked `# YOUR CODE HERE`, in place "
        "of `raise NotImplementedError()`, keeping its name and signature: its docstring states the contract.",
        "",
        "Only the code in those cells is graded: put any import you add there too. The read-only cells after "
        f"each answer run quick checks; grading runs the course's full checks on your code ({total:g} points). "
        "The last cell runs the public checks and says what to hand in.",
        "",
        "Run the set-up cell first. In Colab or a plain Jupyter it installs what is missing; the copy of this "
        "notebook that the course site offers for download also carries the course's package.",
    ]
    cells = [_cell("markdown", "\n".join(intro), "intro"),
             _cell("code", setup_cell(), "setup", grade=False, solution=False, locked=True)]
    imported: set[str] = set()
    for number, (module, names) in enumerate(exercises.items(), start=1):
        cells += _part(solutions, number, module, names, points, imported)
    cells += [_cell("markdown", "## Check and hand in", "hand-in-heading"),
              _cell("code", CHECK, "check", grade=False, solution=False, locked=True)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"},
                         "course": {"assignment": ASSIGNMENT, "generated_from": "solutions/course_lib/"}}
    nbformat.validate(notebook)
    return notebook


def generate_notebooks(solutions: Path, grading_toml: Path, exercises: dict) -> dict[str, str]:
    """Return {notebook filename: JSON text} of every source notebook (nothing is written)."""
    return {NOTEBOOK: nbformat.writes(build_notebook(solutions, exercises, points_by_name(grading_toml))) + "\n"}


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
