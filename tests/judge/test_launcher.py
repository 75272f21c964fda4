"""Does the one launcher judge a submission the same way warm (forked from a forkserver) and cold (a fresh
`python -m pytest`), and turn a judge that overruns or crashes into an infrastructure error, never a grade?"""

import pytest

from course_tools.judge.launcher import GraderSettings, JudgeOptions, grade, warm_available

pytestmark = pytest.mark.slow


def test_warm_and_cold_judges_agree(root, tmp_path, data_root, monkeypatch):
    """Do a warm and a cold judge give the reference the same checks, scores and outputs?"""
    monkeypatch.setenv("FASHION_MNIST_ROOT", str(data_root))
    assert warm_available()  # Linux, and pytest's process is no daemon: the warm path really runs
    only = GraderSettings(only=("softmax", "losses"))
    results = {warm: grade(JudgeOptions(root / "solutions", settings=only, warm=warm),
                           tmp_path / f"warm-{warm}.log", timeout=600) for warm in (True, False)}
    assert results[True].tests == results[False].tests  # oracle: the cold path, today's behaviour
    assert results[True].score == results[False].score > 0


@pytest.mark.parametrize("warm", [True, False])
def test_a_judge_over_its_time_limit_is_an_infrastructure_error(root, tmp_path, warm):
    """Is a judge that runs past its limit killed and reported as the machine's failure, not a score?"""
    results = grade(JudgeOptions(root / "solutions", warm=warm), tmp_path / "judge.log", timeout=0.5)
    assert results.infrastructure_error
    assert "longer than its 0.5 s limit" in results.output and results.tests == []


def test_a_judge_that_crashes_is_an_infrastructure_error(root, tmp_path):
    """Is a judge that exits without results (here: graders that do not exist) reported as a crash, with its log?"""
    options = JudgeOptions(root / "solutions", tests=tmp_path / "no-such-graders", warm=True)
    results = grade(options, tmp_path / "judge.log", timeout=120)
    assert results.infrastructure_error and "the grader crashed" in results.output
    assert "no-such-graders" in (tmp_path / "judge.log").read_text()  # pytest's own complaint, in the log
