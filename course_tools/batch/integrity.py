"""Do a submission's files still match the sha256 its manifest recorded when `course submit` packed them?"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..judge.submission import (  # the stager's own safe readers
    NotGradable,
    _read_folder,
    _read_zip,
)
from ..submitting.manifest import MANIFEST_NAME, mismatched_files


def changed_since_packing(path: Path, manifest: dict) -> list[str]:
    """Manifest paths whose file is missing or differs in the submission at `path` ([] without a file list)."""
    if not isinstance(manifest.get("files"), dict) or not manifest["files"]:
        return []
    try:
        files = _read_zip(path) if Path(path).is_file() else _read_folder(Path(path))
    except (NotGradable, OSError):
        return []  # the grader reports unreadable submissions itself
    manifests = [n for n in files if PurePosixPath(n).name == MANIFEST_NAME]
    if not manifests:
        return []
    base = PurePosixPath(min(manifests, key=lambda n: n.count("/"))).parent.as_posix()
    prefix = "" if base == "." else base + "/"
    relative = {name[len(prefix):]: data for name, data in files.items() if name.startswith(prefix)}
    return mismatched_files(manifest, relative)
