"""Which exercise functions are still the released stubs: read from the source, never run.

A stub (course_tools/release/stubs.py) replaces each solution with
`raise NotImplementedError('<module>.<name> is not implemented yet: ...')`. A contract name whose
body still raises that message scores 0, so `course submit` names it before packing. The student
bundle holds no solutions/ to compare against, so the message itself is the mark.
"""

from __future__ import annotations

import ast

from ..contract import EXERCISES
from ..i18n import ngettext
from ..stub_message import parse


def _raises_stub(node: ast.AST, qualified: str) -> bool:
    """Does `node` hold `raise NotImplementedError('<qualified> is not implemented yet...')` (in any language)?"""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Raise) and isinstance(inner.exc, ast.Call) and inner.exc.args:
            first = inner.exc.args[0]
            text = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
            # 'model.SoftmaxRegression.__init__ is not implemented yet' counts for SoftmaxRegression
            name = (parse(text) or {}).get("name") or ""
            if name == qualified or name.startswith(f"{qualified}."):
                return True
    return False


def unfinished(module: str, source: str) -> list[str]:
    """The contract names of `module` that still raise the stub's NotImplementedError (in contract order).

    A class counts as unfinished when any of its methods still does. Unparsable source gives [] (the
    import check reports it).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    defined = {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    return [name for name in EXERCISES[module] if name in defined and _raises_stub(defined[name], f"{module}.{name}")]




def untouched(module: str, source: str) -> bool:
    """Is `source` still `module`'s released stub: every contract name still raising the stub's message?"""
    return unfinished(module, source) == list(EXERCISES[module])


def stub_warnings(files: dict[str, bytes]) -> list[str]:
    """One line per module with unfinished names, from {'course_lib/<module>.py': bytes}."""
    lines = []
    for module, names in EXERCISES.items():
        data = files.get(f"course_lib/{module}.py")
        if data is None:
            continue
        left = unfinished(module, data.decode("utf-8", errors="replace"))
        if left == list(names):  # untouched(), with `left` kept for the message
            lines.append(ngettext("course_lib/{module}.py is still the untouched stub: {names} still raises "
                                  "NotImplementedError (0 points for this module)",
                                  "course_lib/{module}.py is still the untouched stub: {names} still raise "
                                  "NotImplementedError (0 points for this module)", len(left)).format(
                module=module, names=", ".join(left)))
        elif left:
            lines.append(ngettext("course_lib/{module}.py: {names} still raises NotImplementedError (0 points for its "
                                  "checks)", "course_lib/{module}.py: {names} still raise NotImplementedError (0 points "
                                  "for their checks)", len(left)).format(module=module, names=", ".join(left)))
    return lines
