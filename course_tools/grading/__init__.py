"""Grading: submissions, the sandboxed worker that runs student code, and the trusted judge."""
