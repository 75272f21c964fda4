"""The hidden graders run through course_tools' grading plugin (default submission: solutions/)."""

pytest_plugins = ["course_tools.grading.plugin"]
