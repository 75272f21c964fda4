"""The two scripts Gradescope runs: setup.sh once per image, run_autograder once per submission."""

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image. The zip is unpacked
# in /autograder/source. Choose the Ubuntu 24.04 base image: the course needs Python >= 3.11.
set -euxo pipefail
cd /autograder/source
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip bubblewrap ca-certificates
python3 -c 'import sys; assert sys.version_info >= (3, 11), "choose the Ubuntu 24.04 base image (Python >= 3.11)"'
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
# CPU-only PyTorch: grading never uses a GPU, and the CUDA wheels are gigabytes.
/autograder/venv/bin/pip install --index-url https://download.pytorch.org/whl/cpu torch torchvision
/autograder/venv/bin/pip install -e /autograder/source
# Fashion-MNIST: bundled in data/ by `course gradescope --data-root`, else downloaded once, now.
if [ ! -f data/FashionMNIST/raw/t10k-labels-idx1-ubyte ]; then
  FASHION_MNIST_ROOT=/autograder/source/data /autograder/venv/bin/python -c \
    'from course_lib.data import load_fashion_mnist_tensors as load; load(True, download=True); load(False, download=True)'
fi
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for every submission: the course's graders on /autograder/submission,
# results in /autograder/results/results.json. AUTOGRADER_ROOT and COURSE_PYTHON exist for
# running it outside Gradescope (the project's tests simulate /autograder in a temporary folder).
set -uo pipefail
AUTOGRADER_ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$AUTOGRADER_ROOT/source"
PYTHON="${COURSE_PYTHON:-$AUTOGRADER_ROOT/venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
export FASHION_MNIST_ROOT="${FASHION_MNIST_ROOT:-$SOURCE/data}"
export PYTHONPATH="$SOURCE${PYTHONPATH:+:$PYTHONPATH}"  # this zip's course_tools, whatever else is installed
# Docker's default seccomp profile blocks bubblewrap's namespaces, so here the container (one per
# submission) is the sandbox: a named opt-in, never a silent fallback. Student code runs as a fresh
# unprivileged uid that cannot read the autograder's source, the graders or the results folder.
export COURSE_SANDBOX="${COURSE_SANDBOX:-container}"
echo "sandbox: COURSE_SANDBOX=$COURSE_SANDBOX (container: the container is the sandbox; see docs/guides/security.md)"
cd "$SOURCE"
exec "$PYTHON" -m course_tools.gradescope.autograder --root "$AUTOGRADER_ROOT"
"""
