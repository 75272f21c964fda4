"""The lab notebook's set-up cell: install what is missing, and unpack the student package where it is embedded.

The cell carries PLACEHOLDER; the course site's download of the lab replaces it with the student package
(release/bundle.package_zip: course_lib, the public checks, the `course` tools), as it embeds the helpers
in the lesson notebooks (site_hooks/downloads.py). What it installs is the student package's own
requirements, read from this installation's metadata, so the list is written once, in pyproject.toml.
"""

from __future__ import annotations

from ..cli import requirements

PLACEHOLDER = 'COURSE_HELPERS = ""'

SETUP = '''\
# Set-up (read-only): run this cell first. It installs what the lab needs when it is missing (pip, a few
# minutes). Where the course's package is not installed (Colab, a plain Jupyter), it also writes it beside
# this notebook (course_lib/, public_tests/, course_tools/): the copy of this notebook that the course
# site offers for download carries it.
import importlib
import importlib.util
import subprocess
import sys

{placeholder}  # base64 of a zip of the student package: filled in by the course site's download
REQUIRED = {required!r}  # import name: pip name

missing = [pip_name for name, pip_name in REQUIRED.items() if importlib.util.find_spec(name) is None]
if missing:
    print("installing", ", ".join(missing), "with pip ...")
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *missing])
if importlib.util.find_spec("course_tools") is None:
    if not COURSE_HELPERS:
        raise RuntimeError("the course's package is missing: download this notebook from the course site's "
                           "exercises page (that copy carries it), or open it in the course's folder")
    import base64
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(COURSE_HELPERS))) as package:
        package.extractall(".")
    print("wrote course_lib/, public_tests/ and course_tools/ beside this notebook")
    importlib.invalidate_caches()'''


def student_requirements() -> dict[str, str]:
    """{import name: pip name} of the student package's base requirements (no extra's), from its metadata."""
    return {r.name.lower().replace("-", "_"): r.name for r in requirements()}


def setup_cell() -> str:
    """The set-up cell's source."""
    return SETUP.format(placeholder=PLACEHOLDER, required=student_requirements())
