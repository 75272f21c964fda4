"""An LMS's bulk download read safely: every entry by name, small files' bytes, and names decoded as the LMS wrote them.

Nothing is extracted. A file larger than MAX_FILE_BYTES keeps its name and no bytes (it cannot be a
submission of ours). Entries with unsafe paths or that are links make the whole download an error
naming them, so nothing in it is silently skipped.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..notebook_answers import MAX_NOTEBOOK_BYTES

MAX_FILE_BYTES = MAX_NOTEBOOK_BYTES  # a zip from `course submit` is tens of kilobytes; a lab notebook may be more
MAX_ENTRIES = 200_000
UTF8_FLAG = 0x800


class DownloadError(ValueError):
    """The download cannot be read as that LMS's: the message names the archive and the entry."""


@dataclass(frozen=True)
class Entry:
    """One file of the download: its path as the LMS wrote it, and its bytes (None: too large to be ours)."""

    name: str
    data: bytes | None


def _decoded(info: zipfile.ZipInfo) -> str:
    """The entry's name: rubyzip (Canvas) may write UTF-8 names without the UTF-8 flag, which zipfile reads as cp437."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def read_download(path: Path, lms: str) -> list[Entry]:
    """The files of the LMS's zip at `path`, in archive order; raises DownloadError naming what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise DownloadError(f"{path}: no such file (give the zip {lms} made: its bulk download of the submissions)")
    if not zipfile.is_zipfile(path):
        raise DownloadError(f"{path} is not a zip file, so not a {lms} download of submissions")
    entries = []
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise DownloadError(f"{path.name} holds {len(infos)} entries; at most {MAX_ENTRIES} are read")
            for info in infos:
                name = _decoded(info)
                if info.is_dir():
                    continue
                parts = PurePosixPath(name).parts
                if stat.S_ISLNK(info.external_attr >> 16) or name.startswith("/") or ".." in parts or "\\" in name:
                    raise DownloadError(f"{path.name}: entry {name!r} is a link or an unsafe path; "
                                        f"{lms} never writes one, so this is not its download")
                data = None
                if info.file_size <= MAX_FILE_BYTES:
                    with archive.open(info) as stream:
                        data = stream.read(MAX_FILE_BYTES + 1)
                    data = data if len(data) <= MAX_FILE_BYTES else None
                entries.append(Entry(name, data))
    except DownloadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, OSError, EOFError,
            ValueError, zlib.error) as error:
        raise DownloadError(f"{path.name} cannot be read as a zip: {error}") from None
    if not entries:
        raise DownloadError(f"{path.name} holds no files: {lms} writes one entry per submitted file")
    return entries
