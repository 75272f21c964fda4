"""Build Gradescope's autograder zip: setup.sh and run_autograder at the top, beside a copy of the course."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..atomic import write_bytes_atomically
from .scripts import RUN_AUTOGRADER, SETUP_SH

# What grading needs: the package (helpers and stubs), the tools, the reference, the graders and their points.
TREES = ("course_lib", "course_tools", "solutions/course_lib", "graders")
FILES = ("pyproject.toml", "README.md", "course.toml", "LICENSE")
DATA_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
EXECUTABLE = 0o100755 << 16  # a regular file, rwxr-xr-x, in the zip entry's external attributes


def course_files(root: Path) -> dict[str, Path]:
    """{path in the zip: file} for the course sources (no caches, no symlinks)."""
    files = {}
    for tree in TREES:
        for path in sorted((root / tree).rglob("*")):
            if path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files[path.relative_to(root).as_posix()] = path
    for name in FILES:
        if (root / name).is_file():
            files[name] = root / name
    return files


def data_files(data_root: Path) -> dict[str, Path]:
    """The four IDX files below data_root, as data/FashionMNIST/raw/<name>; FileNotFoundError names a missing one."""
    raw = Path(data_root) / "FashionMNIST" / "raw"
    missing = [name for name in DATA_FILES if not (raw / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{raw} lacks {', '.join(missing)}")
    return {f"data/FashionMNIST/raw/{name}": raw / name for name in DATA_FILES}


def build_zip(root: Path, out: Path, data_root: Path | None = None) -> list[str]:
    """Write the autograder zip at `out` (atomically); return the names it holds."""
    files = course_files(Path(root))
    if data_root is not None:
        files.update(data_files(data_root))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr, info.compress_type = EXECUTABLE, zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
        for name, path in files.items():
            archive.write(path, name)
    write_bytes_atomically(Path(out), buffer.getvalue())
    return ["setup.sh", "run_autograder", *files]
