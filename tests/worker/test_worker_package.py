"""Is the untrusted side (course_tools/worker/) a package that stands alone in the sandbox?"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from course_tools.sandbox import WORKER_PACKAGE, stage_worker

ALLOWED = set(sys.stdlib_module_names) | {"torch", "__future__"}


def imported_names(source: Path) -> set[str]:
    """Top-level names of the absolute imports in `source` (relative imports stay inside the package)."""
    names = set()
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_worker_imports_only_the_standard_library_torch_and_itself():
    """Does every module of the worker import nothing but the standard library, torch and its own modules?
    Oracle: sys.stdlib_module_names; a trusted module (course_tools, course_lib) here would be staged without it."""
    modules = sorted(WORKER_PACKAGE.glob("*.py"))
    assert {m.stem for m in modules} >= {"worker", "wire", "probes", "harness"}
    for module in modules:
        assert imported_names(module) <= ALLOWED, (module.name, imported_names(module) - ALLOWED)


def test_the_package_is_staged_whole(tmp_path):
    """Is every file of the package, and nothing else, copied byte for byte into the staged grader_worker/?"""
    staged = stage_worker(tmp_path / "work") / "grader_worker"
    source = {p.name: p.read_bytes() for p in WORKER_PACKAGE.glob("*.py")}
    assert {p.name: p.read_bytes() for p in staged.iterdir()} == source  # oracle: the package folder itself
