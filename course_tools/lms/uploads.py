"""One student's hand-in, as an LMS lists it, and what of it can be graded: one archive, or loose module files and
completed lab notebooks (any names: the reader matches notebooks by their cells).

Both LMS readers (canvas.py, moodle.py) produce Uploads; `classify` decides, the same way for both,
whether an upload is gradable and from which files. A text entry, a link or a file of another kind is
not gradable, with the reason; two archives, or two files for one module, are an error naming them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..submission_reader import MANIFEST_NAME, MODULE_FILES, NoModules, NotGradable, from_files, read_zip_bytes
from .. import notebook_answers
from .download import DownloadError


@dataclass
class Upload:
    """What one student handed in: LMS id, name and late flag as the LMS says, and the files (entry name -> bytes)."""

    lms: str
    lms_id: str
    name: str
    late: bool | None  # None: this download does not say
    files: dict[str, bytes | None] = field(default_factory=dict)  # entry name in the download -> bytes
    originals: dict[str, str] = field(default_factory=dict)  # entry name -> the file name the student uploaded
    other: list[str] = field(default_factory=list)  # text entries and links, as "text"/"link" kinds
    other_entries: list[str] = field(default_factory=list)
    received: str | None = None  # when the instructor's side recorded the hand-in (nbgrader's timestamp.txt), UTC


@dataclass
class Gradable:
    """The files to grade: course_lib/<module>.py sources, the student's own manifest (a claim), and the digest
    of what is graded (submission_reader.Submission.digest: the same content hashes alike, however packed)."""

    modules: dict[str, bytes]
    manifest: dict
    digest: str


def _gradable(submission) -> Gradable:
    modules = {m: data for m, data in submission.modules.items() if data is not None}
    return Gradable(modules, submission.manifest, submission.digest())


def _from_archive(entry: str, data: bytes | None) -> Gradable | str:
    """The modules inside the student's zip, or why it cannot be graded."""
    name = PurePosixPath(entry).name
    if data is None:
        return f"{name} is too large to be the zip from `course submit`"
    try:
        return _gradable(read_zip_bytes(name, data, filename="the upload"))
    except NoModules:
        return f"{name} holds no course_lib/<module>.py (make it with `course submit`)"
    except NotGradable as error:
        return f"{name}: {error}"


def classify(upload: Upload) -> Gradable | str:
    """The gradable files of `upload`, or the reason it is not gradable; raises DownloadError when it is ambiguous."""
    archives = [e for e in upload.files if upload.originals[e].lower().endswith(".zip")]
    loose: dict[str, list[str]] = {}
    for entry in upload.files:
        module = MODULE_FILES.get(upload.originals[entry])
        if module:
            loose.setdefault(module, []).append(entry)
    manifests = [e for e in upload.files if upload.originals[e] == MANIFEST_NAME]
    notebooks = [e for e in upload.files if upload.originals[e].lower().endswith(notebook_answers.SUFFIX)]
    who = f"{upload.lms} id {upload.lms_id} ({upload.name})"
    if len(archives) > 1:
        raise DownloadError(f"{who} handed in {len(archives)} archives: {', '.join(archives)}; "
                            "keep the one to grade and remove the others from the download")
    twice = {m: entries for m, entries in loose.items() if len(entries) > 1}
    if twice:
        module, entries = next(iter(twice.items()))
        raise DownloadError(f"{who} handed in {module}.py {len(entries)} times: {', '.join(entries)}; "
                            "keep the one to grade and remove the others from the download")
    if archives and (loose or notebooks):
        raise DownloadError(f"{who} handed in both an archive ({archives[0]}) and loose files "
                            f"({', '.join([e for entries in loose.values() for e in entries] + notebooks)}); "
                            "keep one of the two")
    if archives:
        return _from_archive(archives[0], upload.files[archives[0]])
    if loose or notebooks:
        modules = {m: upload.files[entries[0]] for m, entries in loose.items()}
        too_large = [m for m, data in modules.items() if data is None]
        if too_large:
            return f"{', '.join(f'{m}.py' for m in too_large)} larger than a module can be"
        files = {f"course_lib/{m}.py": data for m, data in modules.items()}
        for i, entry in enumerate(notebooks):  # by the name the student gave it; the reader matches by content
            name = upload.originals[entry]
            files[name if name not in files else f"{i}-{name}"] = upload.files[entry]
        files.update({MANIFEST_NAME: upload.files[manifests[0]]} if manifests else {})
        try:
            return _gradable(from_files(upload.lms_id, files))
        except NotGradable as error:
            return str(error)
    if upload.files:
        kinds = ", ".join(sorted({upload.originals[e] for e in upload.files}))
        return (f"the wrong kind of file ({kinds}): hand in the zip from `course submit`, "
                "the course_lib/<module>.py files or the completed lab notebooks")
    if "text" in upload.other:
        return "a text entry, not a file: hand in the zip from `course submit`"
    if "link" in upload.other:
        return "a link, not a file: hand in the zip from `course submit`"
    return "nothing was handed in"
