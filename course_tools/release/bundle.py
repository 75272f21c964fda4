"""The student bundle: one zip with course_lib/, the lab notebooks, the public checks, the `course` tools and a README.

Members sit below one folder, PREFIX, and carry a fixed timestamp, so that the same release gives
the same bytes. Nothing from solutions/ or graders/ is ever listed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..cli import STUDENT_VERBS, VERBS
from .notebooks import RELEASE_DIR

PREFIX = "softmax-course"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}

README = """\
# Softmax regression on Fashion-MNIST: student bundle

- `course_lib/`: the course package. Complete the exercise modules (softmax.py, losses.py,
  metrics.py, model.py, optim.py, training.py, concise.py): each function raises
  `NotImplementedError` until you write it; its docstring states the contract. data.py,
  batches.py, idx.py and plotting.py are given.
- `exercises/`: the lab notebook (Jupyter, nbgrader format), one part per exercise module, in course
  order. Write your code in the cells marked `# YOUR CODE HERE`; the read-only cells after them run
  quick checks, and the last cell the public checks. Hand it in as your instructor says.
- `public_tests/`: the public checks. `course check` (or `course check softmax`) runs them on your
  `course_lib/` and prints hints; they are practice only: hidden checks decide your grade.
- `course_tools/` and `pyproject.toml`: the `course` command's student part. Install once in this
  folder, in a virtual environment with Python 3.11:

      pip install torch torchvision --index-url https://download.pytorch.org/whl/cpu
      pip install -e .

  The first line takes PyTorch's CPU-only build (about 190 MB to download; the default build on
  Linux brings several GB of CUDA libraries a laptop never uses); skip it on a machine with a GPU.
  Then `course check` (or `course check softmax`), and `course submit --student-id YOUR_ID`.

Fashion-MNIST is read from the folder named by the `FASHION_MNIST_ROOT` environment variable
(the files go in `$FASHION_MNIST_ROOT/FashionMNIST/raw/`), else from `~/.cache/softmax-course`.
"""


# What only instructors run: grading batches, LMS and platform packagers, and release/, which writes the solutions into the source notebook
INSTRUCTOR_PACKAGES = ("batch", "gradescope", "lms", "prairielearn", "release")
INSTRUCTOR_VERBS = tuple(f"commands/{verb.replace('-', '_')}.py" for verb in VERBS if verb not in STUDENT_VERBS)


def tool_files(root: Path) -> list[Path]:
    """The course_tools files the bundle ships: what `course check` and `course submit` run, nothing of the rest."""
    tools = root / "course_tools"
    return [p for p in _files(tools) if p.relative_to(tools).parts[0] not in INSTRUCTOR_PACKAGES
            and p.relative_to(tools).as_posix() not in INSTRUCTOR_VERBS]


def _files(folder: Path):
    return sorted(p for p in folder.rglob("*") if p.is_file() and not SKIP_PARTS & set(p.parts) and p.suffix != ".pyc")


def bundle_members(root: Path) -> dict[str, Path | str]:
    """{name inside the zip: source file, or text} of everything the bundle holds, in order."""
    members: dict[str, Path | str] = {f"{PREFIX}/README.md": README}
    for folder in (root / "course_lib", root / RELEASE_DIR, root / "public_tests"):
        if folder.is_dir():
            for path in _files(folder):
                members[f"{PREFIX}/{path.relative_to(root).as_posix()}"] = path
    for path in tool_files(root):
        members[f"{PREFIX}/{path.relative_to(root).as_posix()}"] = path
    for single in ("pyproject.toml", "course.toml"):
        if (root / single).is_file():
            members[f"{PREFIX}/{single}"] = root / single
    return members


def write_zip(members: dict[str, Path | str | bytes], target) -> None:
    """Write `members` ({name: file, text or bytes}) into a zip at `target` (a path or a binary file), with fixed
    timestamps and modes: the same members give the same bytes."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, source in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, source.read_bytes() if isinstance(source, Path) else source)


def write_bundle(root: Path, target: Path) -> list[str]:
    """Write the bundle zip to `target` (replacing it); return its member names."""
    members = bundle_members(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    write_zip(members, partial)
    partial.replace(target)  # a failed release never leaves half a bundle behind
    return list(members)


def package_zip(root: Path) -> bytes:
    """The student package that the lab notebook's download carries: the bundle's course_lib/, public_tests/,
    `course` tools and course.toml at the zip's top, without the notebooks, the README or pyproject.toml."""
    keep = {}
    for name, source in bundle_members(root).items():
        inner = name.removeprefix(f"{PREFIX}/")
        if inner.split("/")[0] in ("course_lib", "public_tests", "course_tools") or inner == "course.toml":
            keep[inner] = source
    buffer = io.BytesIO()
    write_zip(keep, buffer)
    return buffer.getvalue()
