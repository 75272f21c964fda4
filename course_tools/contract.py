"""The exercise contract: which modules students write, and the names graders call in each."""

EXERCISES = {
    "softmax": ("softmax", "log_softmax"),
    "losses": ("cross_entropy", "cross_entropy_from_logits"),
    "metrics": ("accuracy", "evaluate_accuracy"),
    "model": ("SoftmaxRegression",),
    "optim": ("sgd",),
    "training": ("train_epoch", "train"),
    "concise": ("build_model", "build_loss", "build_optimizer"),
}

EXERCISE_MODULES = tuple(EXERCISES)
MODULE_OF = {name: module for module, names in EXERCISES.items() for name in names}  # contract name -> its module


def contract_name(title: str) -> str:
    """The contract name a check title starts with ('sgd: update rule' -> 'sgd'): the one title split."""
    return title.split(":", 1)[0].strip()


def check_module(title: str) -> str | None:
    """The exercise module a check belongs to, from its title's contract name ('sgd: ...' -> 'optim')."""
    return MODULE_OF.get(contract_name(title))


def unknown_modules(spec: str) -> list[str]:
    """The names in a comma-separated module list (as --only takes) that are not exercise modules, sorted."""
    return sorted(set(spec.split(",")) - set(EXERCISE_MODULES))
