"""The texts of the question: the entrypoint script, question.html and the grader image's Dockerfile."""

COURSE_FOLDER = "softmax_course"  # below serverFilesCourse/: PrairieLearn copies it to /grade/serverFilesCourse/
ENTRYPOINT_NAME = "run_prairielearn"

ENTRYPOINT = r"""#!/usr/bin/env bash
# PrairieLearn runs this in the grader container for every submission: the course's graders on
# /grade/student, results in /grade/results/results.json (docs/externalGrading.md). GRADE_ROOT and
# COURSE_PYTHON exist for running it outside PrairieLearn (the project's tests simulate /grade).
set -uo pipefail
GRADE_ROOT="${GRADE_ROOT:-/grade}"
SOURCE="$GRADE_ROOT/serverFilesCourse/softmax_course"
PYTHON="${COURSE_PYTHON:-python3}"
export PYTHONPATH="$SOURCE${PYTHONPATH:+:$PYTHONPATH}"  # this question's course_tools, whatever the image holds
# Docker's default seccomp profile blocks bubblewrap's namespaces, so the container (one per
# submission) is the sandbox: a named opt-in, never a silent fallback. As root, student code runs as a
# fresh unprivileged uid that cannot read the course, the upload or the results.
export COURSE_SANDBOX="${COURSE_SANDBOX:-container}"
echo "sandbox: COURSE_SANDBOX=$COURSE_SANDBOX (container: the container is the sandbox; see docs/guides/security.md)"
mkdir -p "$GRADE_ROOT/results"
cd "$SOURCE"
exec "$PYTHON" -m course_tools.prairielearn.entrypoint --root "$GRADE_ROOT"
"""

QUESTION_HTML = """<pl-question-panel>
  <p>Upload your work on softmax regression: the zip that <code>course submit</code> made, your
  <code>course_lib</code> module files (<code>{modules}</code>), or your completed lab notebooks
  (<code>.ipynb</code>, under any name). The same hidden checks as the course's other graders run on it; each
  shows its points and what went wrong.</p>
</pl-question-panel>

<pl-file-upload optional-file-names="{names}" optional-file-patterns="*.zip,*.ipynb"></pl-file-upload>

<pl-submission-panel>
  <pl-external-grader-results></pl-external-grader-results>
  <pl-file-preview></pl-file-preview>
</pl-submission-panel>
"""

DOCKERFILE = """# The grader image for the PrairieLearn question (externalGradingOptions.image in info.json).
# Build it from this folder and push it where PrairieLearn can pull it:
#   docker build -t {image} . && docker push {image}
# The course itself is not baked in: PrairieLearn copies serverFilesCourse/{folder}/ to
# /grade/serverFilesCourse/ for every submission, so a grader fix needs no new image.
FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1 FASHION_MNIST_ROOT=/opt/fashion-mnist
# CPU-only PyTorch: grading never uses a GPU, and the CUDA wheels are gigabytes.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch torchvision
# The course's other dependencies, from its pyproject.toml (the package itself comes from /grade at run time).
COPY serverFilesCourse/{folder}/pyproject.toml serverFilesCourse/{folder}/README.md /opt/course/
COPY serverFilesCourse/{folder}/course_lib /opt/course/course_lib
COPY serverFilesCourse/{folder}/course_tools /opt/course/course_tools
RUN pip install /opt/course && rm -rf /opt/course
{data}
"""

DATA_DOWNLOAD = """# Fashion-MNIST, downloaded once into the image (the grader runs without network).
RUN python -c 'from course_lib.data import load_fashion_mnist_tensors as load; load(True, download=True); load(False, download=True)'"""

DATA_BUNDLED = """# Fashion-MNIST, bundled by `course prairielearn --data-root` (the grader runs without network).
COPY data/FashionMNIST /opt/fashion-mnist/FashionMNIST"""
