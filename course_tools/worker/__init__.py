"""The untrusted side: the only code that runs beside student code, inside the sandbox.

This package is copied whole into every staged submission as `grader_worker/` and started there as
`python -m grader_worker.worker`. It imports only the standard library, torch and itself (a test
enforces it), so the sandbox needs nothing of the course's trusted code. `wire` is the one format
of requests and replies; the trusted client speaks it from course_tools/sandbox/client.py.
"""
