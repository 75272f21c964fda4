"""Does the `course` command list its verbs and give --help on each?"""

import subprocess
import sys

import pytest

from course_tools.cli import VERBS

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker


def run_course(*args):
    return subprocess.run([sys.executable, "-m", "course_tools.cli", *args], capture_output=True, text=True, timeout=120)


def test_help_lists_every_verb():
    """Does `course --help` list every verb?"""
    result = run_course("--help")
    assert result.returncode == 0
    for verb in ("check", "submit", "release", "grade", "report", "gradescope", "sandbox-check"):
        assert verb in result.stdout and verb in VERBS


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_each_verb_has_help(verb):
    """Does every verb answer --help with a usage line?"""
    result = run_course(verb, "--help")
    assert result.returncode == 0 and f"usage: course {verb}" in result.stdout


def test_release_check_passes_on_this_checkout():
    """Does `course release --check` agree that the stubs are current?"""
    result = run_course("release", "--check")
    assert result.returncode == 0, result.stderr


def test_each_verb_function_takes_exactly_its_options():
    """Does every verb's `main` take one keyword parameter per option of its parser (the CLI only parses and
    calls it), so that tests and scripts can call `grade.main(paths, out, jobs=2)` as the command would?"""
    import importlib
    import inspect

    from course_tools.cli import build_parser

    verbs = next(a for a in build_parser()._actions if a.dest == "verb").choices
    for verb, parser in verbs.items():
        options = {a.dest for a in parser._actions if a.dest != "help"}
        for action in parser._actions:  # export's canvas|moodle sub-commands
            if isinstance(action.choices, dict):
                options |= {a.dest for sub in action.choices.values() for a in sub._actions if a.dest != "help"}
        main = importlib.import_module(f"course_tools.commands.{verb.replace('-', '_')}").main
        assert set(inspect.signature(main).parameters) == options, verb
