"""Is the feedback in Chinese, end to end, for every failing check of the stubs and of the mutant corpus?

`course grade --lang zh` grades the released stubs and the mutant corpus through the real judge and sandboxed
worker (the session's `graded`, tests/judge/conftest.py); test_grading.py finds each mutant's hint there by the
catalogue's translation. `course check --lang zh` runs the public checks on the stubs.
"""

from __future__ import annotations

import pytest

from catalogue_text import CJK, HINT_PREFIX, TRANSLATIONS
from submissions import course_check, student_copy

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker


def _failed(results: dict) -> dict[str, str]:
    return {t["name"]: t["output"] for t in results["tests"] if t["status"] != "passed"}


def test_every_failing_check_speaks_chinese(graded):
    """Does every failing check of every graded submission give Chinese feedback, its hint in Chinese?"""
    for name, results in graded[1].items():
        for title, output in _failed(results).items():
            assert CJK.search(output), f"{name} / {title}: {output}"
            assert "Hint: " not in output, f"{name} / {title} kept an English hint line: {output}"


def test_stubs_say_not_implemented_in_chinese(graded):
    """Do the stubs score 0, every visible check naming the unfinished function in Chinese?"""
    stubs = graded[1]["stubs"]
    stub_words = TRANSLATIONS["{name} is not implemented yet: complete it in {path}"].split("{path}")[0]
    stub_words = stub_words.split("{name}")[-1].strip()  # the translation's words between name and path
    assert stubs["score"] == 0 and len(stubs["tests"]) == 39
    visible = [t for t in stubs["tests"] if t["visibility"] == "visible"]
    assert visible and all(stub_words in t["output"] for t in visible)
    hidden = [t for t in stubs["tests"] if t["visibility"] == "hidden"]
    assert hidden and all(t["output"].startswith(HINT_PREFIX) and "\n" not in t["output"] for t in hidden)


def test_feedback_pages_are_chinese(graded):
    """Are the stubs' feedback.md and feedback.html written in Chinese?"""
    out, _ = graded
    markdown = (out / "stubs" / "feedback.md").read_text()
    assert CJK.search(markdown.splitlines()[0]) and '<html lang="zh">' in (out / "stubs" / "feedback.html").read_text()


def test_course_check_on_the_stubs_in_chinese(root, tmp_path):
    """Does `course check --lang zh` on the stubs print every failing check's hint and its summary in Chinese?"""
    result = course_check(student_copy(root, tmp_path), "--lang", "zh")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    fails = [i for i, line in enumerate(lines) if line.startswith("FAIL")]
    assert len(fails) == 14  # every public check fails on the stubs
    for start, end in zip(fails, fails[1:] + [len(lines)]):
        block = lines[start:end]
        assert CJK.search(block[0]), block[0]  # the title, shown translated
        assert any(line.strip().startswith(HINT_PREFIX.strip()) for line in block), block
    assert "Hint:" not in result.stdout and "Public checks:" not in result.stdout
