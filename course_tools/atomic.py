"""Write a file so that readers see the old content or the new, never a half-written one."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual permissions
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)  # atomic on POSIX: the rename is the commit
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomically(path: Path, text: str) -> None:
    """write_bytes_atomically for UTF-8 text."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_json_atomically(path: Path, value) -> None:
    """write_bytes_atomically for JSON (indented, UTF-8)."""
    write_text_atomically(path, json.dumps(value, indent=2) + "\n")
