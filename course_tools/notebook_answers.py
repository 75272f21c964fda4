"""Completed lab notebooks as exercise modules: their solution cells read, never run.

A lab notebook (nbgrader's format) holds each exercise definition in a solution cell whose `grade_id` is
the contract name (`softmax`, `train_epoch`, ...): that, not the file's name, says which exercise a cell
answers, so a notebook saved as `01-softmax (1).ipynb` or renamed by an LMS counts the same. The cells of
one module become `course_lib/<module>.py`: a first line, FROM_NOTEBOOKS, then the cells in contract order;
the judge's staging puts the released stub's given code (its imports) under that line (`with_given_code`).
A core module: standard library only.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

from .contract import EXERCISES, MODULE_OF
from .i18n import _

SUFFIX = ".ipynb"
MAX_NOTEBOOK_BYTES = 16 << 20  # a lab with its figures is well under 1 MiB; outputs of gigabytes are refused
FROM_NOTEBOOKS = "# course_lib module from the solution cells of: "


class NotebookError(ValueError):
    """A notebook that cannot be read as a lab; the message says why, naming the file."""

    @classmethod
    def too_large(cls, notebook: str) -> NotebookError:
        return cls(_("{name} is larger than {size} MiB: clear its outputs (Kernel > Restart & Clear Output), save "
                     "it and hand it in again").format(name=notebook, size=MAX_NOTEBOOK_BYTES >> 20))


@dataclass(frozen=True)
class Answer:
    """One solution cell: the contract name it defines, its code, the notebook it came from, and whether the
    student changed it (False: still the released `raise NotImplementedError()`)."""

    name: str
    code: str
    notebook: str
    answered: bool


def _bare_raise(function: ast.AST) -> bool:
    """Is the body, its docstring aside, only `raise NotImplementedError(...)` (nbgrader's stub)?"""
    body = [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return (len(body) == 1 and isinstance(body[0], ast.Raise) and body[0].exc is not None
            and "NotImplementedError" in ast.unparse(body[0].exc))


def _answered(code: str) -> bool:
    """Did the student change the cell: does any function in it do more than raise NotImplementedError?
    A cell that does not parse is an answer (the judge reports its SyntaxError)."""
    try:
        functions = [n for n in ast.walk(ast.parse(code)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    except (SyntaxError, ValueError):
        return True
    return not functions or not all(map(_bare_raise, functions))


def answers(notebook: str, data: bytes | None) -> list[Answer]:
    """The solution cells of `data` that answer an exercise; NotebookError when it is not a readable notebook."""
    if data is None:
        raise NotebookError.too_large(notebook)
    try:
        cells = json.loads(data)["cells"]
        found = []
        for cell in cells:
            meta = cell.get("metadata", {}).get("nbgrader", {}) if cell.get("cell_type") == "code" else {}
            if meta.get("solution") is True and meta.get("grade_id") in MODULE_OF:
                source = cell.get("source", "")
                code = "".join(source) if isinstance(source, list) else source
                if not isinstance(code, str):
                    raise TypeError("a cell's source is not text")
                found.append(Answer(meta["grade_id"], code, notebook, _answered(code)))
        return found
    except (ValueError, RecursionError, KeyError, TypeError, AttributeError):
        raise NotebookError(_("{name} is not a Jupyter notebook (not its JSON)").format(name=notebook)) from None


def modules(notebooks: dict[str, bytes | None]) -> tuple[dict[str, str], set[str], list[str]]:
    """({module: its source from the notebooks' cells}, {the modules with an answered cell}, [notebooks with no
    exercise cell]) for {name: bytes}. A module's unanswered cells come with it, so that their checks say "not
    implemented". Raises NotebookError for two different answers to one name."""
    chosen: dict[str, Answer] = {}
    empty = []
    for notebook, data in sorted(notebooks.items()):
        found = answers(notebook, data)
        if not found:
            empty.append(notebook)
        for answer in found:
            held = chosen.get(answer.name)
            if held and held.answered and answer.answered and held.code.strip() != answer.code.strip():
                raise NotebookError(_("two different answers to {name}: in {first} and in {second}; hand in "
                                      "one").format(name=answer.name, first=held.notebook, second=answer.notebook))
            if held is None or (answer.answered and not held.answered):
                chosen[answer.name] = answer
    built, answered = {}, set()
    for module, names in EXERCISES.items():
        cells = [chosen[name] for name in names if name in chosen]
        if cells:
            sources = sorted({cell.notebook for cell in cells})
            built[module] = FROM_NOTEBOOKS + ", ".join(sources) + "\n\n" + "\n\n\n".join(c.code.strip() for c in cells) + "\n"
        if any(cell.answered for cell in cells):
            answered.add(module)
    return built, answered, empty


def with_given_code(source: str, stub: str) -> str:
    """A module built from notebooks, with the released stub's given code (all it holds before its first
    exercise definition: docstring, imports, `__lesson__`) under its first line; other sources unchanged."""
    if not source.startswith(FROM_NOTEBOOKS):
        return source
    tree = ast.parse(stub)
    first = next((node for node in tree.body if getattr(node, "name", None) in MODULE_OF), None)
    start = (first.decorator_list[0].lineno if first.decorator_list else first.lineno) if first else None
    given = "".join(stub.splitlines(keepends=True)[:start - 1] if start else stub)
    head, _newline, rest = source.partition("\n")
    return f"{head}\n{given.rstrip()}\n\n\n{rest.lstrip()}"
