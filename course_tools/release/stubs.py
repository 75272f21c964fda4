"""Student stubs from reference modules: each solution region becomes a helpful NotImplementedError."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .. import stub_message
from ..course_config import default_config_path, load_course_config
from ..site import page_url, site_url

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HEADER = "# Generated from solutions/course_lib/{name} by `course release`; edit the solution, not this header.\n"


class SolutionRegionError(ValueError):
    """Raised when BEGIN/END SOLUTION markers are unbalanced or sit outside a function."""


def _enclosing_functions(tree: ast.Module) -> dict[int, str]:
    """Map each line inside a function to that function's qualified name (Class.method)."""
    owner: dict[int, str] = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    for line in range(child.lineno, child.end_lineno + 1):
                        owner[line] = name
                visit(child, name + ".")

    visit(tree, "")
    return owner


def _lesson_of(tree: ast.Module) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__lesson__" for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def make_stub(source: str, module: str, base_url: str = "", language: str = "en") -> str:
    """Return `source` with every solution region replaced by `raise NotImplementedError(...)`.

    Everything outside the regions (signatures, docstrings, given code) is kept, except that
    `__lesson__` becomes the lesson's address on the site at `base_url` (site.page_url). The
    message (stub_message.py, in `language`) names the exercise (`module.function`) and that address.
    """
    tree = ast.parse(source)
    owner, lesson = _enclosing_functions(tree), _lesson_of(tree)
    address = page_url(base_url, lesson) if lesson else None
    lesson_line = next((n.lineno for n in tree.body if isinstance(n, ast.Assign)
                        and any(getattr(t, "id", None) == "__lesson__" for t in n.targets)), None)
    out, inside = [], False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside or number not in owner:
                raise SolutionRegionError(f"{module}.py:{number}: nested or out-of-function {BEGIN}")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            message = stub_message.write(f"{module}.{owner[number]}", module, address, language)
            out.append(f"{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError({message!r})\n")
        elif stripped == END:
            if not inside:
                raise SolutionRegionError(f"{module}.py:{number}: {END} without {BEGIN}")
            inside = False
        elif number == lesson_line and base_url and not inside:
            out.append(f"__lesson__ = \"{address}\"\n")  # students read the site, not docs/ in a repository
        elif not inside:
            out.append(line)
    if inside:
        raise SolutionRegionError(f"{module}.py: {BEGIN} is never closed")
    return HEADER.format(name=f"{module}.py") + "".join(out)


def solution_regions(source: str) -> list[str]:
    """Return the text of each solution region in `source` (for leak checks)."""
    pattern = re.compile(rf"^[ \t]*{re.escape(BEGIN)}\n(.*?)^[ \t]*{re.escape(END)}", re.S | re.M)
    return pattern.findall(source)


def generate_stubs(solutions: Path, modules) -> dict[str, str]:
    """Return {filename: stub text} for each exercise module in `solutions` (nothing is written).

    Lesson addresses come from the site_url of the mkdocs.yml beside solutions/ (site.site_url), the
    messages' language from its course.toml ([feedback] language; English when unset).
    """
    root = Path(solutions).resolve().parents[1]
    base, language = site_url(root), load_course_config(default_config_path(root)).language or "en"
    return {f"{m}.py": make_stub((solutions / f"{m}.py").read_text(encoding="utf-8"), m, base, language)
            for m in modules}


def stale_stubs(solutions: Path, target: Path, modules) -> list[str]:
    """Return the stub files in `target` that differ from what `solutions` generates."""
    expected = generate_stubs(solutions, modules)
    return [name for name, text in expected.items()
            if not (target / name).is_file() or (target / name).read_text(encoding="utf-8") != text]


def write_stubs(solutions: Path, target: Path, modules) -> list[str]:
    """Write the stubs into `target`; return the names of the files that changed."""
    changed = stale_stubs(solutions, target, modules)
    for name, text in generate_stubs(solutions, modules).items():
        if name in changed:
            (target / name).write_text(text, encoding="utf-8")
    return changed
