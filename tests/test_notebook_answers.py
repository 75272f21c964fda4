"""Are completed lab notebooks read as exercise modules, by their cells' grade_ids and never by file name, and does
every bad notebook get a clear verdict (course_tools/notebook_answers.py, through the one reader)?"""

import json
import zipfile
from pathlib import Path

import pytest

from course_tools import notebook_answers
from course_tools.notebook_answers import FROM_NOTEBOOKS, with_given_code
from course_tools.submission_reader import NotGradable, read

ROOT = Path(__file__).resolve().parents[1]
STUB = "def softmax(X):\n    \"\"\"Softmax.\"\"\"\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
DONE = "def softmax(X):\n    \"\"\"Softmax.\"\"\"\n    return X.softmax(-1)\n"
LOG_STUB = "def log_softmax(X):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"


def lab(*cells: tuple[str, str], solution: bool = True) -> bytes:
    """A notebook whose code cells are (grade_id, source), solution cells unless told otherwise."""
    return json.dumps({"cells": [{"cell_type": "code", "source": source.splitlines(keepends=True), "metadata": {
        "nbgrader": {"grade_id": grade_id, "solution": solution}}} for grade_id, source in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def write(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_a_renamed_notebook_is_read_by_its_cells(tmp_path):
    """Does `01-softmax (1).ipynb` give course_lib/softmax.py holding the answered cell and the unanswered one?"""
    sub = read(write(tmp_path / "s1", {"01-softmax (1).ipynb": lab(("softmax", DONE), ("log_softmax", LOG_STUB))}))
    source = sub.modules["softmax"].decode()
    assert source.startswith(FROM_NOTEBOOKS + "01-softmax (1).ipynb") and DONE.strip() in source
    assert LOG_STUB.strip() in source and set(sub.modules) == {"softmax"}  # oracle: the cells written above


def test_a_zip_of_notebooks_and_its_manifest(tmp_path):
    """Are notebooks one folder down in a zip read, with the manifest beside them?"""
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("work/lab.ipynb", lab(("softmax", DONE)))
        zf.writestr("work/submission.json", json.dumps({"student_id": "s42"}))
    sub = read(archive)
    assert sub.student_id == "s42" and DONE.strip() in sub.modules["softmax"].decode()


@pytest.mark.parametrize("data,reason", [
    (b"{not json", "is not a Jupyter notebook"),
    (json.dumps({"cells": "no"}).encode(), "is not a Jupyter notebook"),
    (lab(("softmax", DONE), solution=False), "no solution cell of a lab notebook"),
])
def test_each_bad_notebook_gets_its_reason(tmp_path, data, reason):
    """Is a notebook that is not JSON, and one without solution cells, not gradable, saying why?"""
    with pytest.raises(NotGradable, match=reason):
        read(write(tmp_path / "s", {"lab.ipynb": data}))


def test_two_different_answers_to_one_exercise_are_refused(tmp_path):
    """Do two notebooks answering softmax differently make the hand-in not gradable, naming both?"""
    other = DONE.replace("X.softmax(-1)", "X.exp() / X.exp().sum(-1, keepdim=True)")
    folder = write(tmp_path / "s", {"a.ipynb": lab(("softmax", DONE)), "b.ipynb": lab(("softmax", other))})
    with pytest.raises(NotGradable, match="two different answers to softmax: in a.ipynb and in b.ipynb"):
        read(folder)
    same = write(tmp_path / "t", {"a.ipynb": lab(("softmax", DONE)), "b.ipynb": lab(("softmax", DONE))})
    assert DONE.strip() in read(same).modules["softmax"].decode()  # the same answer twice is one answer


def test_gigantic_outputs_are_refused_with_the_fix(tmp_path, monkeypatch):
    """Is a notebook over the size limit not gradable, telling the student to clear its outputs?"""
    monkeypatch.setattr("course_tools.submission_reader.MAX_NOTEBOOK_BYTES", 1000)
    big = json.loads(lab(("softmax", DONE)))
    big["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * 5000}]
    with pytest.raises(NotGradable, match="clear its outputs"):
        read(write(tmp_path / "s", {"lab.ipynb": json.dumps(big).encode()}))


def test_modules_and_notebooks_together(tmp_path):
    """Is a module taken from course_lib/ and another from a notebook, an untouched stub module replaced by the
    notebook's answer, and the same module answered in both refused?"""
    stub = (ROOT / "course_lib" / "softmax.py").read_bytes()
    losses = b"def cross_entropy(y_hat, y):\n    return y_hat\n"
    sub = read(write(tmp_path / "a", {"course_lib/softmax.py": stub, "course_lib/losses.py": losses,
                                      "lab.ipynb": lab(("softmax", DONE))}))
    assert sub.modules["losses"] == losses and DONE.strip() in sub.modules["softmax"].decode()
    done = (ROOT / "solutions" / "course_lib" / "softmax.py").read_bytes()
    with pytest.raises(NotGradable, match="two answers to softmax"):
        read(write(tmp_path / "b", {"course_lib/softmax.py": done, "lab.ipynb": lab(("softmax", DONE))}))


def test_untouched_labs_beside_finished_modules_change_nothing(tmp_path):
    """Does the released notebook left in a folder of finished modules leave those modules as they are?"""
    done = (ROOT / "solutions" / "course_lib" / "softmax.py").read_bytes()
    released = (ROOT / "exercises" / "softmax-regression" / "softmax-regression.ipynb").read_bytes()
    sub = read(write(tmp_path / "a", {"course_lib/softmax.py": done, "softmax-regression.ipynb": released}))
    assert sub.modules["softmax"] == done


def test_checkpoints_are_never_read(tmp_path):
    """Is Jupyter's .ipynb_checkpoints/ copy ignored (it would be a second answer)?"""
    folder = write(tmp_path / "s", {"lab.ipynb": lab(("softmax", DONE)),
                                    ".ipynb_checkpoints/lab-checkpoint.ipynb": lab(("softmax", DONE + "# older\n"))})
    assert DONE.strip() in read(folder).modules["softmax"].decode()


def test_the_given_code_goes_under_the_first_line():
    """Does a module from notebooks get the stub's imports (before its first exercise definition), and is a
    student's own module left as it is?"""
    stub = (ROOT / "course_lib" / "training.py").read_text()
    built = FROM_NOTEBOOKS + "06-training.ipynb\n\ndef train_epoch():\n    pass\n"
    staged = with_given_code(built, stub)
    assert staged.splitlines()[0] == built.splitlines()[0] and "from .metrics import accuracy" in staged
    assert staged.index("from .metrics import") < staged.index("def train_epoch") and staged.count("def ") == 1
    assert with_given_code(stub, stub) == stub


def test_a_cell_that_does_not_parse_is_an_answer():
    """Is a cell with a syntax error an answer (the judge reports the error), not a stub?"""
    assert notebook_answers.answers("x.ipynb", lab(("softmax", "def softmax(X:\n")))[0].answered


def test_what_the_reader_found_reads_back_the_same(tmp_path):
    """Does writing out what the reader found (as the batch carries a folder to its workers) read back to the same
    modules, the built ones not taken for a second answer?"""
    first = read(write(tmp_path / "a", {"lab.ipynb": lab(("softmax", DONE), ("log_softmax", LOG_STUB))}))
    again = read(write(tmp_path / "b", {path: data for path, data in first.files.items()}))
    assert again.modules == first.modules and again.digest() == first.digest()


def test_a_notebook_left_as_released_is_graded_as_the_stubs(tmp_path):
    """Does an untouched lab give its module with the released cells (graded 0, "not implemented"), not a verdict?"""
    sub = read(write(tmp_path / "s", {"lab.ipynb": lab(("softmax", STUB))}))
    assert STUB.strip() in sub.modules["softmax"].decode()
