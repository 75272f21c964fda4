"""The `course` command: parses the arguments and calls the verb's Python function, `commands.<verb>.main(...)`.

Each verb's module in course_tools/commands/ declares its arguments (`add_arguments`) and its
`main`, whose keyword parameters are those arguments: tests and scripts call `grade.main(paths, out,
jobs=2)` directly. The work itself lives in the verb's package (batch/, release/, submitting/,
gradescope/, prairielearn/, lms/, sandbox/).
"""

from __future__ import annotations

import argparse
import importlib
import sys

STUDENT_VERBS = ("check", "submit")  # the verbs the student bundle ships (release/bundle.py); the rest are instructors'
VERBS = {
    "check": "run the public checks against your course_lib (students)",
    "submit": "pack your exercise modules into a zip with a manifest (students)",
    "release": "generate stubs, notebooks and the student bundle from solutions/ (instructors)",
    "grade": "grade submissions with the hidden graders (instructors)",
    "report": "score statistics and per-check failure rates over graded results (instructors)",
    "gradescope": "build Gradescope's autograder zip running the same graders (instructors)",
    "export": "put the grades back into Canvas or Moodle, in the file its import reads (instructors)",
    "prairielearn": "build a PrairieLearn question whose external grader runs the same graders (instructors)",
    "sandbox-check": "check that student code can be confined here, and how to fix it if not (instructors)",
}


def build_parser() -> argparse.ArgumentParser:
    """Return the parser: one subparser per verb, each filled in by its own module."""
    parser = argparse.ArgumentParser(prog="course", description="Softmax regression course: student and instructor tools.")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb, summary in VERBS.items():
        try:
            module = importlib.import_module(f"course_tools.commands.{verb.replace('-', '_')}")
        except ModuleNotFoundError as error:
            if not (error.name or "").startswith("course_tools."):
                raise
            continue  # the student bundle ships the students' verbs only
        sub = verbs.add_parser(verb, help=summary, description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(main=module.main)
    return parser


def main(argv=None) -> int:
    """Entry point of the console script; returns the exit status."""
    options = vars(build_parser().parse_args(argv))
    verb_main = options.pop("main")
    verb = options.pop("verb")
    missing = [] if verb in STUDENT_VERBS else not_installed(INSTRUCTOR_EXTRA)
    if missing:
        print(f"course {verb}: the instructor tools are not installed ({', '.join(missing)}): "
              f"pip install -e '.[{INSTRUCTOR_EXTRA}]' in the course folder", file=sys.stderr)
        return 2
    return verb_main(**options)


INSTRUCTOR_EXTRA = "instructor"  # pyproject.toml's extra for every verb but the students'
DISTRIBUTION = "softmax-course"  # pyproject.toml's project name


def requirements(extra: str | None = None) -> list:
    """This project's requirements (packaging Requirements): the base ones, or those of `extra`; [] when the
    project itself is not installed (run from a source tree)."""
    from importlib import metadata

    from packaging.requirements import Requirement

    try:
        listed = [Requirement(line) for line in metadata.distribution(DISTRIBUTION).requires or []]
    except metadata.PackageNotFoundError:
        return []
    if extra is None:
        return [r for r in listed if r.marker is None]
    return [r for r in listed if r.marker is not None and r.marker.evaluate({"extra": extra})]


def not_installed(extra: str) -> list[str]:
    """The requirements of this project's `extra` that no installed distribution meets ([] when the project itself
    is not installed, e.g. run from a source tree: then an import names what is missing)."""
    from importlib import metadata

    missing = []
    for requirement in requirements(extra):
        try:
            metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            missing.append(requirement.name)
    return missing


if __name__ == "__main__":
    sys.exit(main())
