"""Do the exercise pages show real `course check` output for a typical mistake, as the checks print it today?"""

import subprocess
import sys

import pytest

from course_tools.release.feedback_examples import BEGIN, END, EXAMPLES, LANGUAGE_PAGES, command, render


@pytest.mark.parametrize("lang", list(LANGUAGE_PAGES))
@pytest.mark.parametrize("page", list(EXAMPLES))
def test_every_exercise_page_carries_one_example(root, page, lang):
    """Does each exercise page, in each language, hold exactly one generated example, after its public checks,
    showing a failed check in that language (oracle: the Chinese page's example holds Chinese, run with --lang zh)?"""
    text = (root / "docs" / "exercises" / LANGUAGE_PAGES[lang].format(page=page)).read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    example = text[text.index(BEGIN):text.index(END)]
    end_of_checks = "## How it is graded" if lang == "en" else "## 如何评分"
    assert text.index("<!-- public: ") < text.index(BEGIN) < text.index(end_of_checks)
    assert f"$ {command(page, lang)}\n" in example and "FAIL" in example
    assert ("Hint: " in example) if lang == "en" else ("提示：" in example and "Hint: " not in example)


def test_render_replaces_the_example_in_place():
    """Is a second render a replacement between the markers, not a second block?"""
    page = "## Check\n\n<!-- public: accuracy -->\n\n## How it is graded\n"
    once = render(page, "accuracy", "FAIL first")
    twice = render(once, "accuracy", "FAIL second")
    assert twice.count(BEGIN) == 1 and "FAIL second" in twice and "FAIL first" not in twice


def test_the_concise_example_is_what_course_check_prints_now(root):
    """Are the concise pages' examples, in both languages, what `course check concise` prints today (oracle: running it, --check)?"""
    result = subprocess.run([sys.executable, "-m", "course_tools.release.feedback_examples", "--check", "concise"],
                            capture_output=True, text=True, cwd=root, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
