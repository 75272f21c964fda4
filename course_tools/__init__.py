"""The tooling behind the `course` command: release, check, submit, grade, report.

Kept apart from `course_lib` so that the student's package holds only exercises and helpers.
"""

import sys

# jsonschema (imported by nbformat and nbgrader) imports its optional checker of the "iri" formats,
# rfc3987_syntax, which builds 38 Earley parsers at import: 2-4 s in every `course` process that reads a
# notebook or a gradebook (python-jsonschema/jsonschema#1428). No schema these processes validate uses
# those formats, and jsonschema leaves a format without a checker unchecked, so they do without it.
sys.modules.setdefault("rfc3987_syntax", None)
