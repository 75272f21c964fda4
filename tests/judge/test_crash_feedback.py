"""Are crashes of the student's own code always named: type, trimmed message, their file and line,
in visible and hidden checks alike, and never a grader's frame?"""

import pytest

from course_tools.judge.checks import Mistake
from course_tools.judge.crash import ASSERT_HINT, Crash, from_reply, own_frames, trim
from course_tools.judge.results import failure_output
from grade_one import ROOT, failed, grade_folder

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

BOOK_ASSERTS = ("    return history\n",
                "    train_loss, train_acc = history[-1]['train_loss'], history[-1]['train_acc']\n"
                "    test_acc = history[-1]['val_acc']\n"
                "    assert train_loss < 0.5, train_loss\n"
                "    assert train_acc <= 1 and train_acc > 0.7, train_acc\n"
                "    assert test_acc <= 1 and test_acc > 0.7, test_acc\n"
                "    return history\n")


def test_only_the_exercise_modules_frames_are_kept():
    """Does the trusted side keep frames of course_lib/<exercise>.py only (oracle: the contract's module list)?"""
    raw = [["harness.py", 10, "fit_scratch", "history = lib.training.train(...)"],
           ["batches.py", 40, "__iter__", "yield X, y"],  # a helper of ours, not theirs
           ["training.py", 61, "train", "assert train_loss < 0.5, train_loss"],
           "garbage", ["metrics.py", "12", "accuracy", "x"]]  # the worker is untrusted: malformed entries go
    assert [(f.file, f.line) for f in own_frames(raw)] == [("training.py", 61)]


def test_a_long_message_is_trimmed_to_its_first_line():
    """Is a message cut to its first line and 200 characters (a student's assert may print a tensor)?"""
    assert trim("x" * 500).startswith("x" * 200) and len(trim("x" * 500)) < 210
    assert trim("first\nsecond") == "first …"
    assert trim("0.612") == "0.612"


def test_a_hidden_check_names_the_crash_and_the_students_line():
    """Does a hidden check's feedback show the exception and the student's line, but no detail of the check?"""
    crash = from_reply("AssertionError", "0.612", [["training.py", 61, "train", "assert train_loss < 0.5, train_loss"]])
    error = Mistake(crash.describe(), crash.hint, crash=crash)
    text = failure_output(error, "look at the learning rate", "hidden")
    assert text.splitlines() == ["your code raised AssertionError: 0.612",
                                 "  course_lib/training.py, line 61, in train: assert train_loss < 0.5, train_loss",
                                 f"Hint: {ASSERT_HINT}"]


def test_a_hidden_check_without_a_crash_still_shows_only_its_hint():
    """Does a hidden check's ordinary failure keep its inputs and expected values to itself?"""
    text = failure_output(Mistake("expected 0.7 from inputs X", None), "the hint", "hidden")
    assert text == "Hint: the hint"


def test_a_crash_other_than_an_assert_keeps_the_checks_hint():
    """Does a TypeError keep the check's own hint after naming the crash?"""
    crash = Crash("TypeError", "unsupported operand", ())
    assert failure_output(Mistake(crash.describe(), crash.hint, crash=crash), "the hint", "hidden") == \
        "your code raised TypeError: unsupported operand\nHint: the hint"


def test_the_books_leftover_asserts_are_named_once_and_pointed_at_by_the_hidden_end_to_end_check(tmp_path, data_root,
                                                                                                   reference_submission):
    """Does the book's train_ch3 ending (three asserts) show the AssertionError and the student's own line
    once, in train's first check, while the hidden end-to-end check points at it in one line (oracle: the
    line number of the assert in their file)?"""
    submission = reference_submission("book", replace={"training": BOOK_ASSERTS})
    path = submission / "course_lib" / "training.py"
    lines = path.read_text().splitlines()
    results = grade_folder(submission, tmp_path / "results.json", data_root, only="training")
    stated = failed(results)["train: history records and callback"]
    fired = [n for n, line in enumerate(lines, 1) if line.strip().startswith("assert") and
             f"line {n}, in train: {line.strip()}" in stated]
    assert stated.startswith("your code raised AssertionError: ") and len(fired) == 1, stated
    assert ASSERT_HINT in stated
    hidden = failed(results)["train: from-scratch pipeline reaches the reference's held-out accuracy"]
    assert hidden == ("same crash as 'train: history records and callback': "
                      f"AssertionError at course_lib/training.py, line {fired[0]}")
    for output in (stated, hidden):
        for leak in ("harness", "grader_worker", "graders", "probes", "expected"):
            assert leak not in output, output


def test_a_public_check_names_the_crash_and_the_students_line(tmp_path, data_root, reference_submission):
    """Does `course check`'s judge (the public checks) name a crash with the student's file and line
    (oracle: the line of the raising statement in their file)?"""
    old = "    correct = y_hat.reshape(y.shape).to(y.dtype) == y\n"
    submission = reference_submission("student", replace={
        "metrics": (old, "    correct = y_hat == y.labels  # an attribute tensors do not have\n")})
    path = submission / "course_lib" / "metrics.py"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "y.labels" in text)
    results = grade_folder(submission, tmp_path / "results.json", data_root, only="metrics",
                           tests=ROOT / "public_tests", config=ROOT / "public_tests" / "checks.toml")
    output = failed(results)["accuracy: docstring example"]
    assert output.startswith("your code raised ") and f"course_lib/metrics.py, line {line}, in accuracy" in output, output
