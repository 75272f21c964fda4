"""Is the feedback in Chinese, end to end, for every failing check of the stubs and of the mutant corpus?

`course grade --lang zh` grades the released stubs and every mutant through the real judge and
sandboxed worker; `course check --lang zh` runs the public checks on the stubs. The oracle for each
message is the catalogue itself: the translation of the English hint the mutant corpus names.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from corpus.mutants import MUTANTS
from course_tools.release.catalogues import SUITES, po_path
from submissions import course_check, reference_submission, student_copy

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _translations() -> dict[str, str]:
    """{English message: its Chinese translation} over the tools' and the hidden graders' catalogues."""
    found = {}
    for suite in (SUITES[0], SUITES[2]):
        with po_path(ROOT, suite, "zh").open("rb") as stream:
            for message in read_po(stream):
                if message.id and isinstance(message.id, str) and message.string:
                    found[message.id] = message.string
    return found


TRANSLATIONS = _translations()
HINT_PREFIX = TRANSLATIONS.get("Hint: {hint}", "Hint: {hint}").split("{hint}")[0]


@pytest.fixture(scope="module")
def graded_zh(tmp_path_factory, data_root, scheduler):
    """The stubs and every mutant, graded in one `course grade --lang zh --jobs 2` on the session's Dask cluster."""
    base = tmp_path_factory.mktemp("zh")
    stubs = base / "stubs"
    shutil.copytree(ROOT / "course_lib", stubs / "course_lib")
    paths = [stubs] + [reference_submission(base / name, replace={module: (old, new)}) for name, module, old, new, *_ in MUTANTS]
    out = base / "out"
    result = subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", *map(str, paths), "--out", str(out),
                             "--jobs", "2", "--quiet", "--lang", "zh", "--data-root", str(data_root),
                             "--scheduler", scheduler],
                            capture_output=True, text=True, cwd=ROOT, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, {p.name: json.loads((out / p.name / "results.json").read_text()) for p in paths}


def _failed(results: dict) -> dict[str, str]:
    return {t["name"]: t["output"] for t in results["tests"] if t["status"] != "passed"}


def test_every_failing_check_speaks_chinese(graded_zh):
    """Does every failing check of every graded submission give Chinese feedback, its hint in Chinese?"""
    _, graded = graded_zh
    for name, results in graded.items():
        for title, output in _failed(results).items():
            assert CJK.search(output), f"{name} / {title}: {output}"
            assert "Hint: " not in output, f"{name} / {title} kept an English hint line: {output}"


def test_stubs_say_not_implemented_in_chinese(graded_zh):
    """Do the stubs score 0, every visible check naming the unfinished function in Chinese?"""
    _, graded = graded_zh
    stubs = graded["stubs"]
    stub_words = TRANSLATIONS["{name} is not implemented yet: complete it in {path}"].split("{path}")[0]
    stub_words = stub_words.split("{name}")[-1].strip()  # the translation's words between name and path
    assert stubs["score"] == 0 and len(stubs["tests"]) == 39
    visible = [t for t in stubs["tests"] if t["visibility"] == "visible"]
    assert visible and all(stub_words in t["output"] for t in visible)
    hidden = [t for t in stubs["tests"] if t["visibility"] == "hidden"]
    assert hidden and all(t["output"].startswith(HINT_PREFIX) and "\n" not in t["output"] for t in hidden)


@pytest.mark.parametrize("name,module,old,new,check,phrase", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_gets_the_catalogues_translation_of_its_message(graded_zh, name, module, old, new, check, phrase):
    """Does each mistake fail its check with the Chinese translation of the message the corpus names?"""
    _, graded = graded_zh
    failed = _failed(graded[name])
    assert check in failed, f"{name} passed {check!r}"  # titles stay English keys in results.json
    sources = [english for english in TRANSLATIONS if phrase in english]
    assert sources, f"no catalogue message holds {phrase!r}"
    # the translation's longest literal stretch (between placeholders) is in the feedback
    stretches = [max(re.split(r"\{[^{}]*\}", TRANSLATIONS[english]), key=len) for english in sources]
    assert any(stretch.strip() in failed[check] for stretch in stretches), (stretches, failed[check])


def test_feedback_pages_are_chinese(graded_zh):
    """Are the stubs' feedback.md and feedback.html written in Chinese?"""
    out, _ = graded_zh
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
