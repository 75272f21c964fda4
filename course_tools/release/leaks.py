"""The leak scan: no student-facing output may hold solution code, solution markers or hidden tests.

Secrets are the code lines of every solution region in solutions/course_lib/ and of every hidden
test block in the source notebooks, minus lines students see anyway (outside the regions, in
the released helper modules, or in the `course` tools the bundle ships). A marker counts only as
nbgrader reads it: a line of its own, `### BEGIN SOLUTION`. Outputs are scanned line by line: .py files as text, notebooks cell
by cell (sources and any outputs), zip members one by one.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .stubs import solution_regions

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS\n(.*?)^[ \t]*### END HIDDEN TESTS", re.S | re.M)
FORBIDDEN_PARTS = ("solutions/", "graders/", "gradebook.db")


@dataclass(frozen=True)
class Leak:
    """Something secret found in a student-facing output: where, and what."""

    where: str
    what: str

    def __str__(self):
        return f"{self.where}: {self.what}"


def _code_lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")}


def notebook_text(raw: str) -> str:
    """The text of a notebook's cell sources and outputs (or `raw` itself if it is not JSON)."""
    try:
        cells = json.loads(raw).get("cells", [])
    except (ValueError, AttributeError):
        return raw
    parts = []
    for cell in cells:
        source = cell.get("source", "")
        parts.append("".join(source) if isinstance(source, list) else str(source))
        for output in cell.get("outputs", []):
            for value in [output.get("text", ""), *(output.get("data") or {}).values()]:
                parts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


def secret_lines(solutions_lib: Path, source_notebooks: Path, public_lib: Path, modules, shipped_tools=()) -> set[str]:
    """Code lines that only solutions and hidden tests hold (`shipped_tools`: tool files the bundle ships)."""
    secrets, seen = set(), set()
    for module in modules:
        source = (solutions_lib / f"{module}.py").read_text(encoding="utf-8")
        regions = solution_regions(source)
        for region in regions:
            secrets |= _code_lines(region)
        outside = source
        for region in regions:
            outside = outside.replace(region, "")
        seen |= _code_lines(outside)
    for notebook in sorted(source_notebooks.glob("*.ipynb")) if source_notebooks.is_dir() else []:
        for block in HIDDEN.findall(notebook_text(notebook.read_text(encoding="utf-8"))):
            secrets |= _code_lines(block)
    for helper in sorted(public_lib.glob("*.py")):
        if helper.stem not in modules:
            seen |= _code_lines(helper.read_text(encoding="utf-8"))
    for tool in shipped_tools:
        seen |= _code_lines(tool.read_text(encoding="utf-8"))
    return secrets - seen


def scan_text(where: str, text: str, secrets: set[str]) -> list[Leak]:
    """Leaks in one output's text: solution/hidden-test markers, then secret lines."""
    lines = {line.strip() for line in text.splitlines()}
    leaks = [Leak(where, f"marker {marker!r}") for marker in MARKERS if f"### {marker}" in lines]
    return leaks + [Leak(where, f"solution line {line!r}") for line in sorted(_code_lines(text) & secrets)]


def scan_file(path: Path, secrets: set[str], where: str | None = None) -> list[Leak]:
    """Leaks in a .py, .ipynb or text file; a zip is scanned member by member."""
    where = where or str(path)
    if path.suffix == ".zip":
        return scan_zip(path, secrets)
    raw = path.read_text(encoding="utf-8", errors="replace")
    return scan_text(where, notebook_text(raw) if path.suffix == ".ipynb" else raw, secrets)


def scan_zip(path: Path, secrets: set[str]) -> list[Leak]:
    """Leaks in every member of a zip, and members that must never be in it."""
    leaks = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            where = f"{path.name}:{name}"
            if any(f"/{part}" in f"/{name}" for part in FORBIDDEN_PARTS):  # a folder of that name, anywhere
                leaks.append(Leak(where, "an instructor-only file"))
            raw = archive.read(name).decode("utf-8", errors="replace")
            leaks += scan_text(where, notebook_text(raw) if name.endswith(".ipynb") else raw, secrets)
    return leaks


def scan_outputs(paths, secrets: set[str]) -> list[Leak]:
    """Leaks in every file below each of `paths` (files or folders)."""
    leaks = []
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for file in files:
            leaks += scan_file(file, secrets)
    return leaks
