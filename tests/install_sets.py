"""What each install of this project brings: pyproject.toml's requirements, resolved through this venv's metadata.

No index is asked: every distribution the test venv holds answers for itself (`importlib.metadata`), so the
sets are those pip resolved for `make test`, without downloading torch again."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _requirements(extras=()) -> list[Requirement]:
    lines = PROJECT["dependencies"] + [line for extra in extras for line in PROJECT["optional-dependencies"][extra]]
    return [Requirement(line) for line in lines]


def closure(extras=()) -> set[str]:
    """Canonical names of the distributions `pip install '.[extras]'` installs (this project's own aside)."""
    found, visited, todo = set(), set(), _requirements(extras)
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name == canonicalize_name(PROJECT["name"]):  # an extra that includes others ("softmax-course[site]")
            todo += _requirements(requirement.extras)
            continue
        if (name, frozenset(requirement.extras)) in visited:
            continue
        visited.add((name, frozenset(requirement.extras)))
        found.add(name)
        try:
            wanted = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:  # not for this platform: named, not followed
            continue
        environments = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
        todo += [r for r in map(Requirement, wanted) if r.marker is None or any(map(r.marker.evaluate, environments))]
    return found


def modules_outside(installed: set[str]) -> set[str]:
    """Top-level modules of this venv that no distribution in `installed` provides."""
    return {module for module, distributions in metadata.packages_distributions().items()
            if not {canonicalize_name(d) for d in distributions} & installed}


def student_venv(target: Path) -> Path:
    """A venv holding only what `pip install .` installs: the test venv's files of the base install's distributions
    (and this project's metadata), linked in. Returns its python."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True)
    site = next(target.glob("lib/python3*/site-packages"))
    for name in closure() | {PROJECT["name"]}:
        distribution = metadata.distribution(name)
        for top in {file.parts[0] for file in distribution.files or [] if file.parts[0] not in ("..", "__pycache__")}:
            source = Path(distribution.locate_file(top))
            if source.exists() and not (site / top).exists():
                (site / top).symlink_to(source)
    return target / "bin" / "python"
