"""Is one crash at one line of the student's code stated once, in grading.toml's order, and linked elsewhere?"""

from course_tools.judge.causes import Cause, link
from course_tools.judge.crash import Crash, Frame, Stopped
from course_tools.judge.crash_groups import crash_key, summary_lines
from course_tools.judge.outcome import Outcome

LOOP = Frame("training.py", 21, "train_epoch", "l = loss(net(X), y.reshape(-1, 1))")
CALLER = Frame("training.py", 40, "train", "train_epoch(net, train_iter, loss, updater)")
SHAPE = Crash("RuntimeError", "shape '[-1, 1]' is invalid", (CALLER, LOOP))
ORDER = ["train_epoch: zeroes gradients before each step", "train_epoch: loss and accuracy averaged per example",
         "train: history records and callback", "train: from-scratch pipeline reaches the reference's held-out accuracy"]
SWAPPED = Cause("swapped", "evaluate_accuracy: fraction over all examples (ragged last batch)",
                "your evaluate_accuracy takes (data_iter, net)", "Take (net, data_iter).")
NOT_ITERABLE = Crash("TypeError", "'Linear' object is not iterable",
                     (Frame("metrics.py", 11, "evaluate_accuracy", "for X, y in data_iter"),))


def crashed(crash, hint="its own hint"):
    return Outcome(False, f"{crash.describe()}\nHint: {hint}", crash=crash)


def test_the_first_check_in_grading_order_states_the_crash_and_the_others_point_at_it():
    """Does the first failing check in grading.toml's order (not the run order) keep the crash, each other
    check say 'same crash as' in one line, and the group name its type, file and line (oracle: SHAPE's innermost frame)?"""
    outcomes = {title: crashed(SHAPE, f"hint {n}") for n, title in reversed(list(enumerate(ORDER)))}  # run order reversed
    causes, crashes = link(outcomes, {ORDER[3]: ("training",)}, ORDER)
    assert outcomes[ORDER[0]].output.startswith("your code raised RuntimeError") and "hint 0" in outcomes[ORDER[0]].output
    for title in ORDER[1:]:
        assert outcomes[title].output == f"same crash as '{ORDER[0]}': RuntimeError at course_lib/training.py, line 21"
    assert causes == [] and crashes == [{"type": "RuntimeError", "message": SHAPE.message, "file": "training.py",
                                         "line": 21, "home": ORDER[0], "checks": ORDER}]
    assert summary_lines(crashes) == ["Crashes in your code (each stated once):",
                                      f"- RuntimeError: {SHAPE.message} at course_lib/training.py, line 21 (4 checks). "
                                      f"First reported by '{ORDER[0]}'."]


def test_different_lines_or_types_are_different_crashes():
    """Are crashes at another line, or of another type, at the same line, left to state themselves?"""
    other_line = Crash("RuntimeError", "x", (Frame("training.py", 22, "train_epoch", ""),))
    other_type = Crash("TypeError", "x", (LOOP,))
    outcomes = {ORDER[0]: crashed(SHAPE), ORDER[1]: crashed(other_line), ORDER[2]: crashed(other_type)}
    _, crashes = link(outcomes, {}, ORDER)
    assert crashes == [] and all(o.output.startswith("your code raised") for o in outcomes.values())


def test_a_crash_without_a_line_of_theirs_or_a_hang_is_not_grouped():
    """Is a crash with no frame of the student's, or a worker that stopped, never grouped (nothing to key on)?"""
    assert crash_key(Crash("ValueError", "x", ())) is None and crash_key(Stopped("timed out")) is None
    outcomes = {ORDER[0]: crashed(Crash("ValueError", "x", ())), ORDER[1]: crashed(Crash("ValueError", "x", ()))}
    assert link(outcomes, {}, ORDER) == ([], [])


def test_a_crash_where_a_cause_was_diagnosed_names_that_cause():
    """When the home check diagnosed the swap for the very crash that train's checks hit, do those checks
    name the cause (not the crash), and does the cause count them?"""
    home = Outcome(False, "full", SWAPPED, NOT_ITERABLE)
    outcomes = {SWAPPED.home: home, ORDER[2]: crashed(NOT_ITERABLE), ORDER[3]: crashed(NOT_ITERABLE)}
    causes, crashes = link(outcomes, {}, [SWAPPED.home, *ORDER])
    assert home.output == "full" and crashes == []
    for title in ORDER[2:]:
        assert outcomes[title].output == f"same cause as '{SWAPPED.home}': your evaluate_accuracy takes (data_iter, net)"
    assert causes[0]["checks"] == [SWAPPED.home, *ORDER[2:]]


def test_a_crash_through_the_diagnosed_function_names_the_cause_even_at_another_line():
    """Does a crash whose frames pass through evaluate_accuracy, whose check diagnosed the swap, name that cause?"""
    deeper = Crash("AttributeError", "x", (Frame("training.py", 40, "train", ""), Frame("metrics.py", 12, "evaluate_accuracy", ""),
                                          Frame("metrics.py", 3, "helper", "")))
    outcomes = {SWAPPED.home: Outcome(False, "full", SWAPPED, NOT_ITERABLE), ORDER[2]: crashed(deeper)}
    link(outcomes, {}, [SWAPPED.home, *ORDER])
    assert outcomes[ORDER[2]].output.startswith("same cause as 'evaluate_accuracy:")


def test_grouping_changes_no_points():
    """Does linking touch only messages: is every check's passed flag unchanged?"""
    outcomes = {title: crashed(SHAPE) for title in ORDER}
    outcomes["extra: passes"] = Outcome(True)
    before = {t: o.passed for t, o in outcomes.items()}
    link(outcomes, {}, ORDER)
    assert {t: o.passed for t, o in outcomes.items()} == before
