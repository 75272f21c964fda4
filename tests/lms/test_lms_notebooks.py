"""Are completed lab notebooks uploaded to Canvas or Moodle, under any name, graded as the same notebooks handed in as
a folder? Oracle: the one reader on those notebooks as a folder; the same modules give the same points (the judge
stages only them)."""

from pathlib import Path

import pytest
from lms_fixtures import canvas_file, moodle_folder, student_zip, write_zip

from course_tools.lms.canvas import read_canvas
from course_tools.lms.download import DownloadError
from course_tools.lms.moodle import read_moodle
from course_tools.lms.uploads import Gradable, classify
from course_tools.submission_reader import read
from submissions import completed_labs

BROKEN = {"softmax": ("X_exp = torch.exp(X - X_max)", "X_exp = torch.exp(X)")}


def code(modules: dict[str, bytes]) -> dict[str, bytes]:
    """The modules without their first line, which names the notebooks they came from."""
    return {module: source.split(b"\n", 1)[1] for module, source in modules.items()}


@pytest.fixture(scope="module")
def labs(tmp_path_factory) -> Path:
    """The labs completed with the reference, its softmax without the max shift."""
    return completed_labs(tmp_path_factory.mktemp("labs") / "labs", replace=BROKEN)


def test_canvas_uploads_of_renamed_notebooks_are_the_folders_modules(labs, tmp_path):
    """Do notebooks that Canvas renamed (`-1`) give the modules the folder gives, and is a notebook beside an archive
    refused, naming both?"""
    entries = {canvas_file("Nb, Nora", "105", str(9400 + i), path.name.replace(".ipynb", "-1.ipynb")): path.read_bytes()
               for i, path in enumerate(sorted(labs.glob("*.ipynb")))}
    entries[canvas_file("Two, Tom", "106", "9500", "a.zip")] = student_zip("s-tom")
    entries[canvas_file("Two, Tom", "106", "9501", "lab.ipynb")] = (labs / "softmax-regression.ipynb").read_bytes()
    uploads = {u.lms_id: u for u in read_canvas(write_zip(tmp_path / "download.zip", entries))}
    gradable = classify(uploads["105"])
    assert isinstance(gradable, Gradable) and code(gradable.modules) == code(read(labs).modules)
    with pytest.raises(DownloadError, match="both an archive"):
        classify(uploads["106"])


def test_moodle_notebook_uploads_and_a_broken_one(labs, tmp_path):
    """Are Moodle's folders of notebooks read the same, and is an upload that is not a notebook's JSON not gradable,
    with the reason?"""
    entries = {f"{moodle_folder('Nora Nb', 601)}/{path.name}": path.read_bytes() for path in sorted(labs.glob("*.ipynb"))}
    entries[f"{moodle_folder('Bad Bea', 602)}/lab.ipynb"] = b"{this is not json"
    uploads = {u.lms_id: u for u in read_moodle(write_zip(tmp_path / "download.zip", entries))}
    gradable = classify(uploads["601"])
    assert isinstance(gradable, Gradable) and code(gradable.modules) == code(read(labs).modules)
    assert "is not a Jupyter notebook" in classify(uploads["602"])
