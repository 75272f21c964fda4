"""The tooling behind the `course` command: release, check, submit, grade, report.

Kept apart from `course_lib` so that the student's package holds only exercises and helpers.
"""
