"""A cheater's disguise of a copied module, done on the text as a student would (never through ast.unparse, which
the similarity report's own canonical form uses): every function-local name and parameter renamed, the top-level
functions and classes in reverse order, the comments replaced, indentation halved, blank lines and quote
style changed. The result still parses (each caller checks)."""

from __future__ import annotations

import ast
import builtins
import io
import random
import tokenize

KEEP = {"self", "cls"} | set(dir(builtins))
WORDS = ("inp", "out", "val", "tmp", "res", "obj", "item", "data", "part", "cur", "tot", "aux", "q", "z")
COMMENTS = ("# my implementation", "# written for the assignment", "# TODO tidy up", "# vectorised", "# from lecture")
DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _locals(tree: ast.Module) -> set[str]:
    """Parameters and names bound inside functions, less every name bound or imported at module level."""
    module = {n.name for n in tree.body if isinstance(n, DEFS)}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif not isinstance(node, DEFS):
            module |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    found = set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = function.args
            found |= {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg] if a}
            body = function.body if isinstance(function.body, list) else [function.body]
            found |= {n.id for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Name)
                      and isinstance(n.ctx, ast.Store)}
    return found - module - KEEP


def _rename(source: str, rng: random.Random) -> str:
    """Rename the locals where ast sees them (names, parameters, keywords of the module's own calls)."""
    tree = ast.parse(source)
    names = sorted(_locals(tree))
    mapping = dict(zip(names, (f"{rng.choice(WORDS)}{i}" for i in range(len(names)))))
    own = {n.name for n in tree.body if isinstance(n, DEFS)}
    where = {(n.lineno, n.col_offset) for n in ast.walk(tree)
             if (isinstance(n, ast.Name) and n.id in mapping) or (isinstance(n, ast.arg) and n.arg in mapping)}
    where |= {(k.lineno, k.col_offset) for n in ast.walk(tree) if isinstance(n, ast.Call)
              and isinstance(n.func, ast.Name) and n.func.id in own for k in n.keywords if k.arg in mapping}
    lines = source.splitlines(keepends=True)
    edits = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
             if t.type == tokenize.NAME and t.start in where]
    for token in sorted(edits, key=lambda t: t.start, reverse=True):
        (row, col), (_, end) = token.start, token.end
        lines[row - 1] = lines[row - 1][:col] + mapping[token.string] + lines[row - 1][end:]
    return "".join(lines)


def _reorder(source: str) -> str:
    """The top-level definitions (with their decorators) in reverse order; everything else where it was."""
    tree, lines = ast.parse(source), source.splitlines(keepends=True)
    spans = [(min([n.lineno] + [d.lineno for d in getattr(n, "decorator_list", [])]) - 1, n.end_lineno)
             for n in tree.body if isinstance(n, DEFS)]
    if len(spans) < 2:
        return source
    chunks = ["".join(lines[start:end]) for start, end in spans]
    head, tail = "".join(lines[:spans[0][0]]), "".join(lines[spans[-1][1]:])
    gaps = ["".join(lines[end:start]) for (_, end), (start, _) in zip(spans, spans[1:])]
    body = "".join(chunk + "\n\n" for chunk in reversed(chunks)) + "".join(gaps)  # module code between defs moves below
    return head + body + tail


def _restyle(source: str, rng: random.Random) -> str:
    """Comments replaced, indentation halved, a blank line after each def, single quotes made double."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    lines = source.splitlines(keepends=True)
    for token in sorted(tokens, key=lambda t: t.start, reverse=True):
        (row, col), (end_row, end) = token.start, token.end
        if token.type == tokenize.COMMENT:
            lines[row - 1] = lines[row - 1][:col].rstrip() + "\n" if lines[row - 1][:col].strip() else "\n"
        elif token.type == tokenize.STRING and row == end_row and token.string.startswith("'") \
                and '"' not in token.string and "\\" not in token.string and not token.string.startswith("'''"):
            lines[row - 1] = lines[row - 1][:col] + '"' + token.string[1:-1] + '"' + lines[row - 1][end:]
    out = []
    for line in lines:
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 2
        if stripped.startswith(("def ", "class ")) and rng.random() < 0.6:
            out.append(" " * indent + rng.choice(COMMENTS) + "\n")
        out.append(" " * indent + stripped)
        if stripped.startswith("def ") and stripped.rstrip().endswith(":"):
            out.append("\n")
    return "".join(out)


def disguise(source: str, seed: int = 0) -> str:
    """`source` renamed, reordered and restyled; it parses."""
    rng = random.Random(seed)
    disguised = _restyle(_reorder(_rename(source, rng)), rng)
    ast.parse(disguised)
    return disguised
