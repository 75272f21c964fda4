"""Is the feedback language chosen as documented, are the catalogues complete, and do the pieces the
judge assembles come out in the chosen language? (course_tools/i18n.py, stub_message.py, release/catalogues.py)"""

from __future__ import annotations

import re

import pytest

from course_tools import i18n, stub_message
from course_tools.course_config import CourseConfigError, load_course_config
from course_tools.batch.feedback import render_html, render_markdown
from course_tools.grading_results import CheckResult, GradingResults, State
from course_tools.judge.causes import Cause, link, summary_lines
from course_tools.judge.checks import Mistake, expect_close
from course_tools.judge.crash import Crash, Frame
from course_tools.judge.crash_groups import summary_lines as crash_summary_lines
from course_tools.judge.outcome import Outcome
from course_tools.judge.results import failure_output
from course_tools.release.catalogues import SUITES, extract, gaps, po_path

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(root):
    """The judge's state with Chinese active (and the hidden graders' catalogue), English again after."""
    i18n.activate("zh", suites=[root / "graders"])
    yield
    i18n.activate("en")


def test_explicit_then_config_then_locale():
    """Does --lang beat course.toml, and course.toml beat the locale, as the help says?"""
    zh_locale = {"LANG": "zh_CN.UTF-8"}
    assert i18n.choose("en", "zh", zh_locale) == "en"  # --lang wins
    assert i18n.choose(None, "zh", {"LANG": "en_US.UTF-8"}) == "zh"  # then the course config
    assert i18n.choose(None, "", zh_locale) == "zh"  # then the locale
    assert i18n.choose(None, None, {}) == "en"  # then English


def test_locale_variables_in_gettexts_order():
    """Does the first set variable of LANGUAGE, LC_ALL, LC_MESSAGES, LANG decide, as gettext reads them?"""
    assert i18n.from_locale({"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}) == "zh"  # LANGUAGE's list, in order
    assert i18n.from_locale({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"  # LC_ALL set first: C is English
    assert i18n.from_locale({"LC_MESSAGES": "zh_TW.UTF-8"}) == "zh"


def test_unsupported_language_is_a_clear_error():
    """Is a language with no catalogue refused with the supported ones named, never silently English?"""
    with pytest.raises(ValueError, match="en, zh"):
        i18n.choose("fr")


def test_course_config_language(tmp_path):
    """Is [feedback] language read, and a value that is no supported language refused with its place?"""
    config = tmp_path / "course.toml"
    config.write_text('[feedback]\nlanguage = "zh"\n')
    assert load_course_config(config).language == "zh"
    config.write_text('[feedback]\nlanguage = "klingon"\n')
    with pytest.raises(CourseConfigError, match="feedback.language"):
        load_course_config(config)


def test_every_message_is_translated(root):
    """Does every marked message of the tools and of both check suites have a Chinese translation with the
    same placeholders? (`python -m course_tools.release.catalogues update`, then translate, fixes this)"""
    assert gaps(root) == []


def test_every_check_title_is_in_its_suites_catalogue(root):
    """Is every check's title (the key in grading.toml / checks.toml) extracted, so that it is shown translated?"""
    import tomllib

    for suite, config in ((SUITES[1], "public_tests/checks.toml"), (SUITES[2], "graders/grading.toml")):
        titles = set(tomllib.loads((root / config).read_text())["checks"])
        assert titles <= {m.id for m in extract(root, suite)}, config


def test_the_bundle_never_carries_the_hidden_graders_catalogue(root):
    """Are the hidden checks' titles and hints kept in their own catalogue, beside the graders (never shipped)?"""
    hidden = po_path(root, SUITES[2], "zh")
    assert hidden.is_relative_to(root / "graders")
    tools = {m.id for m in extract(root, SUITES[0]) if m.id}
    assert not tools & {m.id for m in extract(root, SUITES[2]) if m.id}  # no hidden message is also a tools message


def test_catalogue_compiled_in_memory_matches_a_compiled_mo(root, tmp_path):
    """Does a catalogue without a fresh .mo translate the same as one compiled by Babel onto disk?"""
    po = po_path(root, SUITES[0], "zh")
    folder = tmp_path / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "course.po").write_bytes(po.read_bytes())
    from_po = i18n.catalogue("zh", tmp_path)
    (folder / "course.mo").write_bytes(i18n.compile_po(po))
    from_mo = i18n.catalogue("zh", tmp_path)
    message = "Causes found (fix these first):"
    assert from_po.gettext(message) == from_mo.gettext(message) != message  # the same translation, both ways


def test_stub_message_round_trip():
    """Is the stub's English message (as release writes it) recognised and shown in the active language?"""
    english = stub_message.write("losses.cross_entropy", "losses", "https://example.org/x/")
    assert english == ("losses.cross_entropy is not implemented yet: complete it in course_lib/losses.py "
                       "(lesson: https://example.org/x/)")  # the text release writes today
    assert stub_message.parse(english) == {"name": "losses.cross_entropy", "path": "course_lib/losses.py",
                                           "url": "https://example.org/x/"}
    assert stub_message.parse("index 7 is out of bounds") is None
    i18n.activate("zh")
    try:
        shown = stub_message.translated(english)
        assert CJK.search(shown) and "losses.cross_entropy" in shown and "https://example.org/x/" in shown
        assert stub_message.translated("index 7 is out of bounds") == "index 7 is out of bounds"  # others unchanged
    finally:
        i18n.activate("en")


def test_failure_output_in_chinese(chinese):
    """Are a visible check's detail and hint both in Chinese, with the values left as they are?"""
    import torch

    with pytest.raises(Mistake) as caught:
        expect_close(torch.zeros(2, 3), torch.ones(2), "softmax(X)")
    text = failure_output(caught.value, "Subtract the row maximum before exp.", "visible")
    detail, hint = text.splitlines()
    assert "softmax(X)" in detail and "(2,)" in detail and "(2, 3)" in detail and CJK.search(detail)
    assert CJK.search(hint) and not hint.startswith("Hint:")


def test_crash_and_causes_in_chinese(chinese):
    """Are a crash's frame lines, a shared cause's and a shared crash's lines in Chinese, naming the same file, line and check?"""
    crash = Crash("IndexError", "index 7 is out of bounds", (Frame("losses.py", 12, "cross_entropy", "return y[7]"),))
    described = crash.describe()
    assert CJK.search(described) and "IndexError: index 7 is out of bounds" in described and "losses.py" in described
    cause = Cause("k", "cross_entropy: values and shape (n,)", "your cross_entropy returns (n, 1)", "Return shape (n,).")
    elsewhere = Crash("IndexError", "x", (Frame("softmax.py", 9, "log_softmax", "return X[9]"),))
    outcomes = {"cross_entropy: values and shape (n,)": Outcome(False, "x", cause),
                "cross_entropy: gradient": Outcome(False, "y", cause),
                "log_softmax: matches the reference": Outcome(False, "z", crash=elsewhere),
                "log_softmax: stable for extreme logits": Outcome(False, "z", crash=elsewhere)}
    causes, crashes = link(outcomes, {})
    assert CJK.search(outcomes["cross_entropy: gradient"].output)
    assert CJK.search(summary_lines(causes)[0])
    assert CJK.search(outcomes["log_softmax: stable for extreme logits"].output) and "softmax.py" in outcomes[
        "log_softmax: stable for extreme logits"].output
    assert all(CJK.search(line) for line in crash_summary_lines(crashes))


def test_feedback_pages_in_chinese(chinese):
    """Do feedback.md and feedback.html speak Chinese (and say so in <html lang>), keeping the check's key?"""
    results = GradingResults(State.GRADED, [CheckResult("sgd: update rule", 0.0, 4.0, False, "x")], student_id="s1")
    markdown, html = render_markdown(results), render_html(results)
    assert CJK.search(markdown.splitlines()[0]) and '<html lang="zh">' in html
    assert "sgd" in markdown and CJK.search(markdown.split("###")[1].splitlines()[0])  # the title, shown translated
    assert results.tests[0].name == "sgd: update rule"  # the key is untouched


def test_stubs_released_in_chinese_are_still_recognised(root):
    """Does a stub released in Chinese (course.toml's [feedback] language) count as unfinished for `course
    submit`, and read in English to a student who asked for English?"""
    from course_tools.release.stubs import make_stub
    from course_tools.submitting.stubs_left import unfinished

    stub = make_stub((root / "solutions" / "course_lib" / "losses.py").read_text(), "losses", "https://example.org/", "zh")
    assert CJK.search(stub)
    assert unfinished("losses", stub) == ["cross_entropy", "cross_entropy_from_logits"]
    message = re.search(r"NotImplementedError\('([^']*)'\)", stub).group(1)
    assert stub_message.translated(message) == stub_message.write(  # English is active: the English message
        "losses.cross_entropy", "losses", "https://example.org/exercises/cross-entropy/")
