"""The learner-style submissions in tests/corpus/learners/: what each should score and what its feedback must say.

Each folder holds the seven exercise modules written the way learners post this chapter's code (Dive into
Deep Learning, softmax regression from scratch and concise: d2l-en 4.1-4.5 / 3.4-3.7 of its 2nd edition,
d2l-zh 3.4-3.7, and the 1st edition's PyTorch port ShusenTang/Dive-into-DL-PyTorch): filled into the
released stubs (their docstring and `__lesson__` line kept), each file's first comment naming where its
code comes from. Unlike tests/corpus/book/, these learners already fixed what the contract asks on top of
the book (a stable softmax, (n,) losses, a zero bias, a returned history), so each loses only for its own
style or slip:

- mixed_editions: accuracy and train from d2l-zh 2nd edition, but evaluate_accuracy(data_iter, net) from
  the 1st edition's port; the learner's own train calls it as evaluate_accuracy(net, test_iter), so it
  crashes in evaluate_accuracy (TypeError, 'Linear' object is not iterable) under the train checks and both
  pipelines, as the hidden evaluate_accuracy checks do: the swapped order is diagnosed once, and every other
  check of that crash points to it.
- scalar_backward: the 1st edition port's train_ch3 (one `l.backward()` for both kinds of updater), with
  the `.sum()` gone now that the loss is per example: RuntimeError "grad can be implicitly created only for
  scalar outputs" at that one line, in every train_epoch and train check and both pipelines.
- column_labels: the 1st edition port's `gather(1, y)` with the labels' `view(-1, 1)` moved into
  train_epoch (`loss(y_hat, y.reshape(-1, 1))`): the loss checks crash in losses.py (gather on (n,)
  labels), the train checks and the concise pipeline crash in train_epoch (F.cross_entropy refuses (n, 1)
  targets), and the from-scratch pipeline, where both halves meet, trains right and passes.
- own_helpers: d2l-en 2nd edition with helpers of the learner's own (a `Tally` for the book's Accumulator,
  the book's `net(X, W, b)` function behind the class, a `make_updater` closure, a `step` helper, an
  nn.Module of its own for the concise model): correct, 100.
- numpy_loop: a NumPy habit (d2l-zh 1st edition's MXNet style ported): weights drawn with np.random,
  counts and losses accumulated in an np.zeros(3) array from `.detach().numpy()`, the results NumPy
  float64 scalars: correct, 100.
- chatty: d2l-zh 2nd edition exported from a notebook: the book's sanity-check cells print at import, and
  train_epoch, train, evaluate_accuracy, the model and the concise builders print progress (stdout and
  stderr): prints cost nothing, 100.
- no_return: d2l-en 2nd edition's train_ch3 with the asserts dropped and a callback added, but, like the
  book, returning nothing: loses the history check only.
- no_eval: d2l-en 1.0 (4.3-4.5: Classifier.accuracy, SGD's step and zero_grad, Trainer.fit_epoch's
  backward() inside torch.no_grad(), the loss as a function around F.cross_entropy) with an
  evaluate_accuracy of the learner's own that uses no_grad but never calls net.eval(): loses the eval-mode
  check only.
- attr_eval: d2l-zh 2nd edition with `net.eval()` called unconditionally in evaluate_accuracy: the plain
  callable check and the from-scratch pipeline (SoftmaxRegression has no eval) crash with AttributeError
  at that line, stated once.
- set_to_none: a learner who knows PyTorch idioms: softmax as exp(log_softmax), gather, torch.inference_mode,
  duck-typed eval(), `p.sub_(p.grad, alpha=...)` then `p.grad = None` in sgd (torch.optim's
  zero_grad(set_to_none=True)), trange, an OrderedDict model and a parameter-group optimizer: correct, 100.

LEARNERS[name] = (score, {failed check: phrases its feedback must hold}). Every other check must pass.
"""

SWAPPED = ("same cause as 'evaluate_accuracy: fraction over all examples (ragged last batch)': "
           "your evaluate_accuracy takes (data_iter, net), the first edition's order")
BACKWARD = "same crash as 'train_epoch: zeroes gradients before each step': RuntimeError at course_lib/training.py, line 24"
TARGET = "same crash as 'train_epoch: zeroes gradients before each step': RuntimeError at course_lib/training.py, line 17"
GATHER = "same crash as 'cross_entropy: values and shape (n,)': RuntimeError at course_lib/losses.py, line 13"
GATHER_LOGITS = "same crash as 'cross_entropy_from_logits: matches F.cross_entropy': RuntimeError at course_lib/losses.py, line 17"
EVAL_ATTRIBUTE = "same crash as 'evaluate_accuracy: works with plain callables': AttributeError at course_lib/metrics.py, line 19"

LEARNERS = {
    # evaluate_accuracy's three checks (7), both train checks (4) and both pipelines (8)
    "mixed_editions": (81, {
        "evaluate_accuracy: fraction over all examples (ragged last batch)": [
            "your code raised TypeError", "course_lib/metrics.py, line 24, in evaluate_accuracy: for X, y in data_iter",
            "evaluate_accuracy(net, data_iter)"],
        "evaluate_accuracy: eval mode and no gradient tracking": [SWAPPED],
        "evaluate_accuracy: works with plain callables": [SWAPPED],
        "train: history records and callback": [SWAPPED],
        "train: runs the given number of epochs": [SWAPPED],
        "train: from-scratch pipeline reaches the reference's held-out accuracy": [SWAPPED],
        "build_model: concise model reaches the reference's held-out accuracy": [SWAPPED],
    }),
    # train_epoch (10), train (4), both pipelines (8): one crash, one line
    "scalar_backward": (78, {
        "train_epoch: zeroes gradients before each step": [
            "your code raised RuntimeError: grad can be implicitly created only for scalar outputs",
            "course_lib/training.py, line 24, in train_epoch: l.backward()"],
        "train_epoch: function updater gets summed gradients and batch sizes": [BACKWARD],
        "train_epoch: loss and accuracy averaged per example": [BACKWARD],
        "train_epoch: puts the net in train mode": [BACKWARD],
        "train: history records and callback": [BACKWARD],
        "train: runs the given number of epochs": [BACKWARD],
        "train: from-scratch pipeline reaches the reference's held-out accuracy": [BACKWARD],
        "build_model: concise model reaches the reference's held-out accuracy": [BACKWARD],
    }),
    # cross_entropy (12), cross_entropy_from_logits (8), train_epoch (10), train (4), the concise pipeline (4)
    "column_labels": (62, {
        "cross_entropy: values and shape (n,)": [
            "your code raised RuntimeError: Index tensor must have the same number of dimensions as input tensor",
            "course_lib/losses.py, line 13, in cross_entropy"],
        "cross_entropy: picks the true class (int64 and int32 labels)": [GATHER],
        "cross_entropy: gradient": [GATHER],
        "cross_entropy: vectorised": [GATHER],
        "cross_entropy_from_logits: matches F.cross_entropy": [
            "your code raised RuntimeError", "course_lib/losses.py, line 17, in cross_entropy_from_logits"],
        "cross_entropy_from_logits: stable for huge logits": [GATHER_LOGITS],
        "cross_entropy_from_logits: gradient": [GATHER_LOGITS],
        "train_epoch: zeroes gradients before each step": [
            "your code raised RuntimeError: 0D or 1D target tensor expected",
            "course_lib/training.py, line 17, in train_epoch: l = loss(y_hat, y.reshape(-1, 1))"],
        "train_epoch: function updater gets summed gradients and batch sizes": [TARGET],
        "train_epoch: loss and accuracy averaged per example": [TARGET],
        "train_epoch: puts the net in train mode": [TARGET],
        "train: history records and callback": [TARGET],
        "train: runs the given number of epochs": [TARGET],
        "build_model: concise model reaches the reference's held-out accuracy": [TARGET],
    }),
    "own_helpers": (100, {}),
    "numpy_loop": (100, {}),
    "chatty": (100, {}),
    "no_return": (97, {
        "train: history records and callback": ["train returned None", "the book's train_ch3 returns nothing"],
    }),
    "no_eval": (98, {
        "evaluate_accuracy: eval mode and no gradient tracking": [
            "the accuracy of this net in train mode", "Call net.eval() before the loop"],
    }),
    "attr_eval": (94, {
        "evaluate_accuracy: works with plain callables": [
            "your code raised AttributeError: 'function' object has no attribute 'eval'",
            "course_lib/metrics.py, line 19, in evaluate_accuracy: net.eval()", "isinstance(net, torch.nn.Module)"],
        "train: from-scratch pipeline reaches the reference's held-out accuracy": [EVAL_ATTRIBUTE],
    }),
    # sgd sets p.grad = None, as torch.optim's zero_grad(set_to_none=True) does: that counts as zeroing
    "set_to_none": (100, {}),
}
