"""Batch grading: many submissions in parallel, each finished atomically, with a gradebook, CSV and feedback."""
