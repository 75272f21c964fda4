"""Grade one submission folder with the hidden graders through the one launcher, as `course grade` does."""

from __future__ import annotations

import re
from pathlib import Path

from course_tools.judge.launcher import GraderSettings, JudgeOptions, grade

ROOT = Path(__file__).resolve().parents[1]
# a check that points at the one stating its crash (course_tools/judge/crash_groups.py)
SAME_CRASH = re.compile(r"^same crash as '(?P<home>.+)': (?P<type>[\w.]+) at course_lib/(?P<file>\w+\.py), line (?P<line>\d+)$")


def grade_folder(submission: Path, results: Path, data_root: Path, only: str | None = None,
                 tests: Path = ROOT / "graders", config: Path | None = None) -> dict:
    """results.json's content for `submission` (a folder holding course_lib/), judged warm by `tests`."""
    options = JudgeOptions(submission=Path(submission), root=ROOT, tests=Path(tests), grading_config=config,
                           settings=GraderSettings(only=(only,) if only else ()),
                           extra_env={"FASHION_MNIST_ROOT": str(data_root)})
    log = Path(results).with_suffix(".log")
    graded = grade(options, log, timeout=900)
    assert not graded.infrastructure_error, log.read_text()[-3000:]
    return graded.to_json()  # results.json's form, as the tests read it


def failed(results: dict) -> dict[str, str]:
    """{check title: its feedback} for every check that did not pass."""
    return {t["name"]: t["output"] for t in results["tests"] if t["status"] != "passed"}


def assert_fails_exactly(results: dict, score: float, expected: dict[str, list[str]]) -> None:
    """The submission failed exactly the checks of `expected` ({title: phrases}) and scored `score`."""
    got = failed(results)
    assert sorted(got) == sorted(expected), {"unexpected": {t: got[t] for t in sorted(set(got) - set(expected))},
                                             "missing": sorted(set(expected) - set(got))}
    assert results["score"] == score


def assert_messages_hold(results: dict, expected: dict[str, list[str]]) -> None:
    """Each failed check of `expected` ({title: phrases}) says every one of its phrases."""
    got = failed(results)
    for title, phrases in expected.items():
        for phrase in phrases:
            assert phrase in got.get(title, ""), f"{title}: {phrase!r} not in {got.get(title)!r}"
