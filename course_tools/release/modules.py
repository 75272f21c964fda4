"""A reference exercise module cut into the parts a lab notebook is made of: preamble and definitions."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from .stubs import BEGIN


@dataclass(frozen=True)
class Definition:
    """One top-level statement after the preamble (a def or class): its name, source and whether it holds a solution."""

    name: str
    source: str
    has_solution: bool


@dataclass(frozen=True)
class ModuleParts:
    """A module as docstring + preamble (imports, `__lesson__`) + top-level definitions, in file order."""

    docstring: str
    preamble: str  # the module's text before its first definition, docstring included (never holds a solution)
    imports: tuple[str, ...]  # absolute import statements of the preamble, one per entry
    relative_imports: tuple[tuple[str, tuple[str, ...]], ...]  # (sibling module, names) for `from .m import a, b`
    lesson: str | None
    definitions: tuple[Definition, ...]


def _first_line(node) -> int:
    return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])


def split_module(source: str, module: str) -> ModuleParts:
    """Cut `source` into its parts; a solution region outside a definition is an error (it would be given away)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    body = list(tree.body)
    docstring = ast.get_docstring(tree) or ""
    first_def = next((i for i, node in enumerate(body) if isinstance(node, (ast.FunctionDef, ast.ClassDef))), len(body))
    preamble_end = _first_line(body[first_def]) - 1 if first_def < len(body) else len(lines)
    preamble = "".join(lines[:preamble_end])
    if BEGIN in preamble:
        raise ValueError(f"{module}.py: a solution region sits before the first definition")
    imports, relative, lesson = [], [], None
    for node in body[:first_def]:
        if isinstance(node, ast.ImportFrom) and node.level:
            relative.append((node.module, tuple(alias.name for alias in node.names)))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(ast.get_source_segment(source, node))
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__lesson__" for t in node.targets):
            lesson = ast.literal_eval(node.value)
    definitions = []
    rest = body[first_def:]
    for node, after in zip(rest, [*rest[1:], None]):
        # up to the next statement, so that trailing comments such as `### END SOLUTION` stay inside
        start, end = _first_line(node) - 1, _first_line(after) - 1 if after else len(lines)
        text = "".join(lines[start:end]).rstrip() + "\n"
        name = getattr(node, "name", None) or f"statement-{start + 1}"
        definitions.append(Definition(name, text, any(line.strip() == BEGIN for line in text.splitlines())))
    return ModuleParts(docstring, preamble, tuple(imports), tuple(relative), lesson, tuple(definitions))


def read_parts(solutions: Path, module: str) -> ModuleParts:
    """The parts of solutions/course_lib/<module>.py."""
    return split_module((solutions / f"{module}.py").read_text(encoding="utf-8"), module)


def dependencies(solutions: Path, module: str, order) -> list[str]:
    """The exercise modules `module` imports, directly or not, listed in course `order`."""
    found, todo = set(), [module]
    while todo:
        for sibling, _ in read_parts(solutions, todo.pop()).relative_imports:
            if sibling not in found:
                found.add(sibling)
                todo.append(sibling)
    return [m for m in order if m in found and m != module]
