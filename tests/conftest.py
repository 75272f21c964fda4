"""Shared fixtures: the repository root, the reference solution and the Fashion-MNIST sample."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course_tools.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]

# The grading plugin (fixtures student, ref, gen, seed); it only activates when graders are collected.
pytest_plugins = ["course_tools.grading.plugin"]


def sample_data_root() -> Path | None:
    """The data root: FASHION_MNIST_ROOT when set (and only it, as course_lib reads it), else ../shared/data."""
    env = os.environ.get("FASHION_MNIST_ROOT")
    candidates = [env] if env else [ROOT.parent / "shared" / "data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "FashionMNIST" / "raw" / "train-images-idx3-ubyte").is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def ref():
    """The reference modules: ref.softmax, ref.losses, ..."""
    return load_reference(ROOT / "solutions" / "course_lib")


@pytest.fixture(scope="session")
def data_root() -> Path:
    """The Fashion-MNIST data root; tests that need it are skipped, and say why, when it is absent."""
    found = sample_data_root()
    if found is None and os.environ.get("FASHION_MNIST_ROOT"):  # asked for data that is not there: a failure, not a skip
        pytest.fail(f"FASHION_MNIST_ROOT={os.environ['FASHION_MNIST_ROOT']} holds no FashionMNIST/raw/ files")
    if found is None:
        pytest.skip("no Fashion-MNIST: set FASHION_MNIST_ROOT or put the sample at ../shared/data")
    return found
