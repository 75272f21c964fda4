"""Is code written the way learners post this chapter graded fairly, and is each crash stated once?

Oracle: tests/corpus/learner_expectations.py, written by reading each submission in tests/corpus/learners/
against the contract: the exact set of checks it must fail, the score, and phrases each message must hold.
The crash invariant is checked over these and the book corpus (tests/corpus/book/): in a submission, a crash
of the student's code (exception type, innermost file and line of theirs) is stated in full by at most one
check; every other check that crashed there says "same crash as" or "same cause as".
"""

import re

import pytest

from corpus.book_expectations import BOOK as BOOK_EXPECTED
from corpus.learner_expectations import LEARNERS
from grade_one import SAME_CRASH, assert_fails_exactly, assert_messages_hold, failed

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

BOOK = list(BOOK_EXPECTED)  # the book corpus, graded in the same batch

RAISED = re.compile(r"^your code raised (?P<type>[A-Za-z_][\w.]*)")
FRAME = re.compile(r"^  course_lib/(?P<file>\w+\.py), line (?P<line>\d+), in ")


@pytest.fixture(scope="module")
def graded(whole_submissions):
    """Every learner and book submission, graded once for the session in one batch (conftest.whole_submissions)."""
    return whole_submissions


def stated_crash(output: str):
    """(type, file, line) of a crash stated in full in a check's output: 'your code raised <Type>...' then
    its frames, innermost last (the last '  course_lib/...' line before 'Hint:'); None if there is none."""
    lines = output.splitlines()
    for i, text in enumerate(lines):
        raised = RAISED.match(text)
        if not raised:
            continue
        innermost = None
        for frame in lines[i + 1:]:
            if frame.startswith("Hint:"):
                break
            if match := FRAME.match(frame):
                innermost = (raised["type"], match["file"], int(match["line"]))
        return innermost
    return None


def test_stated_crash_parser():
    """Does the parser take the innermost of the frames, and ignore outputs that state no crash?"""
    output = ("your code raised TypeError: 'Linear' object is not iterable\n"
              "  course_lib/training.py, line 30, in train: test_acc = evaluate_accuracy(net, test_iter)\n"
              "  course_lib/metrics.py, line 11, in evaluate_accuracy: for X, y in data_iter\n"
              "Hint: see  course_lib/other.py, line 3, in nothing")
    assert stated_crash(output) == ("TypeError", "metrics.py", 11)
    assert stated_crash("same crash as 'x': TypeError at course_lib/metrics.py, line 11") is None
    assert stated_crash("evaluate_accuracy returned 0.5, expected 0.7\nHint: ...") is None


@pytest.mark.parametrize("name", list(LEARNERS))
def test_learner_code_loses_exactly_what_the_contract_asks(graded, name):
    """Does each learner-style submission fail exactly the expected checks, for the expected score?"""
    assert_fails_exactly(graded[name], *LEARNERS[name])


@pytest.mark.parametrize("name", list(LEARNERS))
def test_each_message_names_the_mistake(graded, name):
    """Does each failed check's feedback hold the phrases that name the learner's actual mistake?"""
    assert_messages_hold(graded[name], LEARNERS[name][1])


@pytest.mark.parametrize("name", list(LEARNERS) + BOOK)
def test_each_crash_is_stated_once(graded, name):
    """In every graded submission, is each crash (type, innermost file and line) stated in full by at most one
    check, does every 'same crash as' point at the check that states it, and does every other check of a
    listed crash say 'same crash as' or 'same cause as'?"""
    got = failed(graded[name])
    stated: dict[tuple, list[str]] = {}
    for title, output in got.items():
        if (crash := stated_crash(output)) is not None:
            stated.setdefault(crash, []).append(title)
    assert all(len(titles) == 1 for titles in stated.values()), {k: v for k, v in stated.items() if len(v) > 1}
    homes = {titles[0]: crash for crash, titles in stated.items()}
    for title, output in got.items():
        if match := SAME_CRASH.match(output.splitlines()[0] if output else ""):
            crash = (match["type"], match["file"], int(match["line"]))
            assert homes.get(match["home"]) == crash, (title, output, homes)
    for entry in graded[name].get("extra_data", {}).get("crashes", []):
        crash = (entry["type"], entry["file"], entry["line"])
        assert stated.get(crash) == [entry["home"]], (entry, stated)
        for title in entry["checks"]:
            if title != entry["home"]:
                assert got[title].startswith(("same crash as", "same cause as")), (title, got[title])


@pytest.mark.parametrize("name", list(LEARNERS) + BOOK)
def test_summary_lists_each_crash_once(graded, name):
    """Does the summary list each crash of extra_data once, with its location, check count and first check?"""
    results = graded[name]
    crashes = results.get("extra_data", {}).get("crashes", [])
    listed = [line for line in results["output"].splitlines() if line.startswith("- ") and " (" in line
              and "First reported by" in line]
    assert len(listed) == len(crashes)
    assert len({(c["type"], c["file"], c["line"]) for c in crashes}) == len(crashes)
    if crashes:
        assert "Crashes in your code (each stated once):" in results["output"].splitlines()
    for entry, line in zip(crashes, listed):
        assert line.startswith(f"- {entry['type']}: ") and f" at course_lib/{entry['file']}, line {entry['line']} (" in line
        assert f"({len(entry['checks'])} checks)" in line or len(entry["checks"]) == 1
        assert line.endswith(f"First reported by '{entry['home']}'.")


def test_correct_learner_styles_score_100(graded):
    """Do the correct styles (own helpers, NumPy in the loop, prints, p.grad = None in sgd) get full marks,
    with no crash or cause in their summary?"""
    for name in ("own_helpers", "numpy_loop", "chatty", "set_to_none"):
        assert graded[name]["score"] == 100, failed(graded[name])
        assert graded[name]["output"].splitlines() == ["Score 100/100 from the hidden graders."], graded[name]["output"]
