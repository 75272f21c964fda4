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
