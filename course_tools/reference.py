"""Loads the reference solution (solutions/course_lib) under its own package name, for trusted use."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

from .contract import EXERCISE_MODULES

PACKAGE = "course_reference"


def load_reference(solutions_lib: Path) -> types.SimpleNamespace:
    """Import every exercise module of `solutions_lib` as `course_reference.<module>`.

    Returns a namespace with one attribute per module (ref.softmax.softmax, ...). Importing under
    another name keeps the reference apart from any `course_lib` on sys.path.
    """
    loaded = sys.modules.get(PACKAGE)
    if loaded is not None and list(getattr(loaded, "__path__", [])) != [str(solutions_lib)]:
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]  # another reference was loaded first (e.g. by the warm parent)
    if PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            PACKAGE, solutions_lib / "__init__.py", submodule_search_locations=[str(solutions_lib)]
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        if (solutions_lib / "__init__.py").is_file():
            spec.loader.exec_module(package)
    modules = {name: importlib.import_module(f"{PACKAGE}.{name}") for name in EXERCISE_MODULES}
    return types.SimpleNamespace(**modules)
