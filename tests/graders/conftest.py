"""The hidden graders use the grading plugin's fixtures (loaded by tests/conftest.py).

`ref` is re-exported here so that, for graders, it is the plugin's (honouring --reference) and
not the project tests' fixture of the same name.
"""

from course_tools.judge.plugin import ref  # noqa: F401
