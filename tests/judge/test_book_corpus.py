"""Is the book's own code graded fairly, with feedback that names the real mistake (issue 13)?

Oracle: tests/corpus/book_expectations.py, written by reading each submission against the contract:
the exact set of checks it must fail, the score, and phrases each message must hold.
"""

import pytest

from corpus.book_expectations import BOOK, MISLEADING
from grade_one import assert_fails_exactly, assert_messages_hold, failed

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker


@pytest.fixture(scope="module")
def book_results(whole_submissions):
    """The book submissions' results, graded with the learners' in one batch (conftest.whole_submissions)."""
    return {name: whole_submissions[name] for name in BOOK}


@pytest.mark.parametrize("name", list(BOOK))
def test_book_code_loses_exactly_what_the_contract_asks(book_results, name):
    """Does each book-style submission fail exactly the expected checks, for the expected score?"""
    assert_fails_exactly(book_results[name], *BOOK[name])


@pytest.mark.parametrize("name", list(BOOK))
def test_each_message_names_the_mistake(book_results, name):
    """Does each failed check's feedback hold the phrases that name its actual mistake, and none of the old misleading hints?"""
    assert_messages_hold(book_results[name], BOOK[name][1])
    got = failed(book_results[name])
    for title, misleading in MISLEADING.get(name, {}).items():
        assert misleading not in got.get(title, ""), f"{title}: {got.get(title)!r}"


def test_causes_come_first_in_the_summary(book_results):
    """Does the first edition's summary list its diagnosed causes before the score line?"""
    output = book_results["first_edition"]["output"].splitlines()
    assert output[0] == "Causes found (fix these first):" and output[-1].startswith("Score 33/100")
    assert any("(data_iter, net)" in line for line in output[1:-1])
    assert any("loss.sum().backward()" in line for line in output[1:-1])


def test_each_crash_is_listed_once_in_the_summary(book_results):
    """Does the second edition's summary list each of its crashes once, with the student's line and its cost
    (oracle: the softmax IndexError fails softmax's and log_softmax's checks; the leftover assert, train's four)?"""
    output = book_results["second_edition"]["output"]
    assert output.splitlines()[0] == "Crashes in your code (each stated once):"
    assert output.count("at course_lib/softmax.py, line 7 (2 checks)") == 1
    assert output.count("at course_lib/training.py, line 38 (4 checks)") == 1
