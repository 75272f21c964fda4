"""nbgrader's configuration for this course: the lab notebooks' source is generated into solutions/notebooks/.

`course release` runs `nbgrader generate_assignment` with it (source solutions/notebooks/<assignment>/,
release exercises/<assignment>/). Instructors then use nbgrader's usual flow from this folder:
collect (or copy into submitted/<student>/<assignment>/), `nbgrader autograde`, `generate_feedback`,
`export`. Autograding needs Fashion-MNIST (FASHION_MNIST_ROOT) for the end-to-end checks.
"""

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "softmax-course"
c.CourseDirectory.source_directory = "solutions/notebooks"
c.CourseDirectory.release_directory = "exercises"

# The first hidden test cell of a submission runs every grader once (about 20 s, training included).
c.Execute.timeout = 900
