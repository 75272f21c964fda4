"""`course grade COURSE --from nbgrader`: nbgrader's collected notebooks, graded by the trusted judge in the sandbox.

nbgrader's own `autograde` runs every notebook in a kernel on this machine, unconfined, and takes the points from
that kernel, where the student's cells have already run; this course's nbgrader_config.py therefore refuses it
(release/nbgrader_refusal.py). This route replaces `autograde`, `generate_feedback` and the scores of `export`:

- it reads nbgrader's collect layout, COURSE/submitted/<student>/<assignment>/, one Upload per student: their
  notebooks, the student from the folder, and the submission time from nbgrader's timestamp.txt, which the
  instructor's side wrote at collection, so the late penalty is computed from it (course.toml's due date);
- the notebooks are read, never run (submission_reader, notebook_answers), and graded like every submission;
- `write_feedback` puts each student's feedback page where `nbgrader generate_feedback` would,
  COURSE/feedback/<student>/<assignment>/<notebook>.html with timestamp.txt and submission_secret.txt, so that
  `nbgrader release_feedback` hands it back through the exchange.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..atomic import write_text_atomically
from ..submitting.manifest import utc_iso
from .download import DownloadError
from .uploads import Upload

LMS = "nbgrader"
SUBMITTED, FEEDBACK = "submitted", "feedback"
TIMESTAMP, SECRET = "timestamp.txt", "submission_secret.txt"


def course_folder(path: Path) -> Path:
    """The nbgrader course folder for `path`: the folder holding submitted/, or submitted/ itself."""
    path = Path(path)
    if (path / SUBMITTED).is_dir():
        return path
    if path.name == SUBMITTED and path.is_dir():
        return path.parent
    raise DownloadError(f"{path} holds no {SUBMITTED}/ folder: give nbgrader's course folder (where `nbgrader collect` "
                        f"puts {SUBMITTED}/<student>/<assignment>/)")


def received_at(folder: Path) -> str | None:
    """nbgrader's timestamp.txt in `folder` as UTC ISO 8601 ('2027-01-30T10:00:00Z'), or None without one."""
    from nbgrader.utils import parse_utc

    try:
        when = parse_utc((folder / TIMESTAMP).read_text(encoding="utf-8").strip())
    except (OSError, ValueError, OverflowError):
        return None
    return utc_iso(when)


def read_nbgrader(path: Path, assignment: str) -> list[Upload]:
    """One Upload per student with a submitted/<student>/<assignment>/ folder, sorted by student."""
    submitted = course_folder(path) / SUBMITTED
    uploads = []
    for student in sorted(p for p in submitted.iterdir() if p.is_dir() and not p.is_symlink()):
        folder = student / assignment
        if not folder.is_dir():
            continue
        files = {f.name: f.read_bytes() for f in sorted(folder.glob("*.ipynb")) if f.is_file() and not f.is_symlink()}
        uploads.append(Upload(LMS, student.name, student.name, None, files, {name: name for name in files},
                              received=received_at(folder)))
    if not uploads:
        raise DownloadError(f"no {SUBMITTED}/<student>/{assignment}/ folder in {submitted.parent} "
                            f"(is course.toml's assignment {assignment!r} nbgrader's assignment id?)")
    return uploads


def write_feedback(path: Path, assignment: str, out: Path) -> list[Path]:
    """Copy out/<student>/feedback.html to feedback/<student>/<assignment>/<notebook>.html for each submitted
    notebook, with the submission's timestamp.txt and submission_secret.txt; return the pages written."""
    course = course_folder(path)
    written = []
    for folder in sorted((course / SUBMITTED).glob(f"*/{assignment}")):
        student = folder.parent.name
        page = Path(out) / student / "feedback.html"
        if not page.is_file():
            continue  # not graded (not gradable, or the grader failed): nbgrader keeps no page either
        target = course / FEEDBACK / student / assignment
        target.mkdir(parents=True, exist_ok=True)
        for kept in (TIMESTAMP, SECRET):
            if (folder / kept).is_file():
                shutil.copyfile(folder / kept, target / kept)
        html = page.read_text(encoding="utf-8")
        for notebook in sorted(folder.glob("*.ipynb")):
            write_text_atomically(target / f"{notebook.stem}.html", html)
            written.append(target / f"{notebook.stem}.html")
    return written
