"""nbgrader's configuration for this course: the lab notebooks' source is generated into solutions/notebooks/.

`course release` runs `nbgrader generate_assignment` with it (source solutions/notebooks/<assignment>/,
release exercises/<assignment>/). Instructors then use nbgrader's exchange from this folder: release,
collect (or copy into submitted/<student>/<assignment>/), then `course grade . --from nbgrader --out graded/`,
which grades the collected notebooks in the sandbox and writes feedback/ for `nbgrader release_feedback`.
`nbgrader autograde` is refused: it runs students' notebooks unconfined and takes the points from their
kernel (course_tools/release/nbgrader_refusal.py).
"""

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "softmax-course"
c.CourseDirectory.source_directory = "solutions/notebooks"
c.CourseDirectory.release_directory = "exercises"

# Fail closed: autograde executes nothing; it stops with the route to use (`course grade --from nbgrader`).
c.Autograde.autograde_preprocessors = ["course_tools.release.nbgrader_refusal.RefuseAutograde"]
