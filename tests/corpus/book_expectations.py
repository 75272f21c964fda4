"""The book-style submissions in tests/corpus/book/: what each should score and what its feedback must say.

Each folder holds the seven exercise modules written the way students copy them from Dive into
Deep Learning: `second_edition/` from the second edition's PyTorch code (d2l-zh v2, sections
"softmax回归的从零开始实现" / "简洁实现" and d2l/torch.py: `range(len(y_hat))` indexing, `Accumulator`,
the `#@save` helpers, train_ch3's leftover asserts and no return, `net.apply(init_weights)`
without a zero bias); `first_edition/` from the first edition's popular PyTorch port
(ShusenTang/Dive-into-DL-PyTorch: `gather` with (n, 1), numpy initialisation, `param.data -=`
without zeroing, accuracy as a fraction, `evaluate_accuracy(data_iter, net)`, loss.sum() under an
optimizer, `print` progress, a hand-written FlattenLayer, nn.CrossEntropyLoss() averaging).
Only the names were changed to the contract's.

BOOK[name] = (score, {failed check: phrases its feedback must hold}). Every other check must pass:
so a message can only appear where the code is wrong, and each names the mistake itself. A crash at
one line of theirs is stated by the first check it fails, in grading.toml's order; the others say
"same crash as" (crash_groups.py).
"""

ASSERT = "leftover asserts"
ROW_MAX = "Subtract the row maximum"
COLUMN = "same cause as 'cross_entropy: values and shape (n,)': your cross_entropy returns shape (n, 1)"
FRACTION = "same cause as 'accuracy: counts correct predictions': your accuracy returns the fraction"
SWAPPED = "same cause as 'evaluate_accuracy: fraction over all examples (ragged last batch)': your evaluate_accuracy takes (data_iter, net)"
SOFTMAX_CRASH = "same crash as 'softmax: matches the reference on random inputs': IndexError at course_lib/softmax.py, line 7"
ASSERT_CRASH = "same crash as 'train: history records and callback': AssertionError at course_lib/training.py, line 38"
SUMMED = "same cause as 'train_epoch: zeroes gradients before each step': your train_epoch calls loss.sum().backward() with a torch.optim optimizer"

BOOK = {
    # loses only what the contract asks and the book does not do: softmax stable and on any shape,
    # log-softmax without log(softmax), a zero bias, and a train that returns (its asserts fire first)
    "second_edition": (71, {
        "softmax: matches the reference on random inputs": ["your code raised IndexError", "course_lib/softmax.py, line 7, in softmax"],
        "softmax: invariant to shifts": [ROW_MAX],
        "softmax: stable for extreme logits": [ROW_MAX],
        "log_softmax: matches the reference": [SOFTMAX_CRASH],
        "log_softmax: stable for extreme logits": ["Never take log(softmax(X))"],
        "cross_entropy_from_logits: stable for huge logits": ["never log(softmax(logits))"],
        "train: history records and callback": ["your code raised AssertionError", "course_lib/training.py, line 38, in train", ASSERT],
        "train: runs the given number of epochs": [ASSERT_CRASH],
        "build_model: Flatten then Linear(784, 10), N(0, 0.01²) weights, zero bias": ["the bias is not zero", "nn.init.zeros_"],
        "train: from-scratch pipeline reaches the reference's held-out accuracy": [ASSERT_CRASH],
        "build_model: concise model reaches the reference's held-out accuracy": [ASSERT_CRASH],
    }),
    "first_edition": (33, {
        "softmax: matches the reference on random inputs": ["your code raised IndexError", "course_lib/softmax.py, line 7, in softmax"],
        "softmax: invariant to shifts": [ROW_MAX],
        "softmax: stable for extreme logits": [ROW_MAX],
        "log_softmax: matches the reference": [SOFTMAX_CRASH],
        "log_softmax: stable for extreme logits": ["Never take log(softmax(X))"],
        "cross_entropy: values and shape (n,)": ["got torch.float32 (8, 1)", "not (n, 1)"],
        "cross_entropy: picks the true class (int64 and int32 labels)": [COLUMN],
        "cross_entropy: gradient": [COLUMN],
        "cross_entropy: vectorised": [COLUMN],
        "cross_entropy_from_logits: matches F.cross_entropy": ["not (n, 1)"],
        "cross_entropy_from_logits: stable for huge logits": ["never log(softmax(logits))"],
        "cross_entropy_from_logits: gradient": ["same cause as 'cross_entropy_from_logits: matches F.cross_entropy'"],
        "accuracy: counts correct predictions": ["not the fraction"],
        "accuracy: returns a Python float": [FRACTION],
        "accuracy: ties and (n,) label input": [FRACTION],
        "evaluate_accuracy: fraction over all examples (ragged last batch)": [
            "your code raised TypeError", "course_lib/metrics.py, line 11, in evaluate_accuracy", "evaluate_accuracy(net, data_iter)"],
        "evaluate_accuracy: eval mode and no gradient tracking": [SWAPPED],
        "evaluate_accuracy: works with plain callables": [SWAPPED],
        "sgd: zeroes gradients and keeps leaves": ["the gradients were neither zeroed nor cleared", "p.grad.zero_()"],
        "train_epoch: zeroes gradients before each step": ["With a torch.optim optimizer call loss.mean().backward()"],
        "train_epoch: loss and accuracy averaged per example": [SUMMED],
        "train_epoch: puts the net in train mode": ["Two mistakes", "net.train()"],
        "train: history records and callback": ["train returned None"],
        "train: runs the given number of epochs": [SUMMED],
        "build_loss: per-example cross-entropy from logits": ['reduction="none"'],
        "train: from-scratch pipeline reaches the reference's held-out accuracy": ["builds on checks that fail", "Fix those first"],
    }),
}

# Phrases of the old, misleading hints, which must not come back for these submissions (issue 13).
MISLEADING = {
    "first_edition": {
        "cross_entropy: gradient": "Keep the loss differentiable",
        "cross_entropy: vectorised": "No Python loop",
        "accuracy: ties and (n,) label input": "argmax picks the first maximum",
        "evaluate_accuracy: fraction over all examples (ragged last batch)": "over-weights the small last batch",
        "train_epoch: zeroes gradients before each step": "zero_grad() before backward()",
        "train_epoch: loss and accuracy averaged per example": "Accumulate loss.sum()",
        "train: runs the given number of epochs": "Loop range(num_epochs)",
    },
    "second_edition": {
        "train: from-scratch pipeline reaches the reference's held-out accuracy": "look at the learning rate",
        "build_model: concise model reaches the reference's held-out accuracy": "check the loss reduction",
    },
}
