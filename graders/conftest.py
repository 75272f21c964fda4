"""The hidden graders: pytest checks with points (grading.toml), run by the judge on a submission.

The judge runs them with `-p course_tools.judge.plugin`; `pytest graders` (and the project's test
run) grades solutions/ with the same plugin, declared here.
"""

pytest_plugins = ["course_tools.judge.plugin"]
