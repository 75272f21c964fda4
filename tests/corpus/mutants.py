"""Realistic wrong implementations, one mistake each, as edits of the reference source.

Each mutant: (id, module, old text, new text, the check that must fail, a phrase of its hint).
ALTERNATIVES are correct implementations written differently: each must score 100.
"""

MUTANTS = [
    ("softmax_no_max", "softmax", "X_exp = torch.exp(X - X_max)", "X_exp = torch.exp(X)",
     "softmax: stable for extreme logits", "Subtract the row maximum"),
    ("softmax_wrong_axis", "softmax", "X_exp / X_exp.sum(dim=-1, keepdim=True)", "X_exp / X_exp.sum(dim=0, keepdim=True)",
     "softmax: matches the reference on random inputs", "last dimension"),
    ("softmax_in_place", "softmax", "X_exp = torch.exp(X - X_max)", "X -= X_max\n    X_exp = torch.exp(X)",
     "softmax: does not modify its input", "in-place"),
    ("softmax_library", "softmax", "return X_exp / X_exp.sum(dim=-1, keepdim=True)", "return torch.softmax(X, dim=-1)",
     "softmax: calls no library softmax", "torch.softmax"),
    ("log_softmax_of_softmax", "softmax", "return shifted - torch.log(torch.exp(shifted).sum(dim=-1, keepdim=True))",
     "return torch.log(softmax(X))", "log_softmax: stable for extreme logits", "Never take log(softmax(X))"),
    ("ce_mean", "losses", "return -torch.log(picked)", "return -torch.log(picked).mean()",
     "cross_entropy: values and shape (n,)", "not their mean"),
    ("ce_column", "losses", "return -torch.log(picked)", "return -torch.log(picked)[:, None]",
     "cross_entropy: values and shape (n,)", "not (n, 1)"),
    ("ce_loop", "losses", "picked = y_hat[torch.arange(y_hat.shape[0], device=y_hat.device), y.long()]",
     "picked = torch.stack([y_hat[i, int(y[i])] for i in range(len(y))])", "cross_entropy: vectorised", "No Python loop"),
    ("ce_positive_log", "losses", "return -torch.log(picked)", "return torch.log(picked)",
     "cross_entropy: values and shape (n,)", "Negate the log"),
    ("ce_logits_unstable", "losses", "log_probs = log_softmax(logits)",
     "log_probs = torch.log(torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True))",
     "cross_entropy_from_logits: stable for huge logits", "never log(softmax(logits))"),
    ("accuracy_fraction", "metrics", "return float(correct.sum().item())", "return float(correct.double().mean().item())",
     "accuracy: counts correct predictions", "not the fraction"),
    ("accuracy_tensor", "metrics", "return float(correct.sum().item())", "return correct.sum().double()",
     "accuracy: returns a Python float", "not a tensor"),
    ("eval_batch_mean", "metrics", "correct += accuracy(net(X), y)\n            total += y.numel()",
     "correct += accuracy(net(X), y) / y.numel()\n            total += 1",
     "evaluate_accuracy: fraction over all examples (ragged last batch)", "over-weights the small last batch"),
    ("eval_no_eval_mode", "metrics", "        net.eval()\n", "        pass\n",
     "evaluate_accuracy: eval mode and no gradient tracking", "net.eval()"),
    ("model_ignores_sigma", "model", "torch.normal(0.0, sigma,", "torch.normal(0.0, 1.0,",
     "SoftmaxRegression: parameter shapes and initialisation statistics", "torch.normal(0, sigma"),
    ("model_non_leaf", "model", "self.W = torch.normal(0.0, sigma, size=(num_inputs, num_outputs), requires_grad=True)",
     "self.W = torch.normal(0.0, 1.0, size=(num_inputs, num_outputs), requires_grad=True) * sigma",
     "SoftmaxRegression: params are leaves that require grad", "not before multiplying by sigma"),
    ("sgd_no_zero", "optim", "            param.grad.zero_()\n", "",
     "sgd: zeroes gradients and keeps leaves", "Zero or clear each gradient"),
    ("sgd_divides_twice", "optim", "param -= lr * param.grad / batch_size", "param -= lr * param.grad / batch_size / batch_size",
     "sgd: update rule", "exactly once"),
    ("train_epoch_no_zero_grad", "training", "            updater.zero_grad()\n", "",
     "train_epoch: zeroes gradients before each step", "zero_grad() before backward()"),
    ("train_epoch_mean_for_function", "training", "            losses.sum().backward()", "            losses.mean().backward()",
     "train_epoch: function updater gets summed gradients and batch sizes", "loss.sum().backward()"),
    ("train_epoch_batch_means", "training", "total_loss += float(losses.detach().sum())", "total_loss += float(losses.detach().mean())",
     "train_epoch: loss and accuracy averaged per example", "divide once"),
    ("train_epoch_no_train_mode", "training", "        net.train()\n", "        pass\n",
     "train_epoch: puts the net in train mode", "net.train()"),
    # the values are right but a numpy scalar cannot cross to the judge: named, never a grader crash
    ("train_epoch_numpy_scalar", "training", "return total_loss / total, total_correct / total",
     "return torch.tensor(total_loss / total).numpy()[()], total_correct / total",
     "train_epoch: loss and accuracy averaged per example", "not a numpy scalar"),
    ("train_no_callback", "training", "            callback(record)", "            pass",
     "train: history records and callback", "call callback(record)"),
    ("concise_mean_loss", "concise", 'return nn.CrossEntropyLoss(reduction="none")', "return nn.CrossEntropyLoss()",
     "build_loss: per-example cross-entropy from logits", 'reduction="none"'),
]

ALTERNATIVES = [
    ("softmax_logsumexp_form", "softmax", "X_exp = torch.exp(X - X_max)\n    return X_exp / X_exp.sum(dim=-1, keepdim=True)",
     "lse = X_max + torch.log(torch.exp(X - X_max).sum(dim=-1, keepdim=True))\n    return torch.exp(X - lse)"),
    ("softmax_float64_internals", "softmax", "X_exp = torch.exp(X - X_max)\n    return X_exp / X_exp.sum(dim=-1, keepdim=True)",
     "X_exp = torch.exp((X - X_max).double())\n    return (X_exp / X_exp.sum(dim=-1, keepdim=True)).to(X.dtype)"),
    ("ce_gather", "losses", "picked = y_hat[torch.arange(y_hat.shape[0], device=y_hat.device), y.long()]",
     "picked = y_hat.gather(1, y.long().unsqueeze(1)).squeeze(1)"),
    ("ce_one_hot", "losses", "picked = y_hat[torch.arange(y_hat.shape[0], device=y_hat.device), y.long()]\n    return -torch.log(picked)",
     "one_hot = torch.nn.functional.one_hot(y.long(), y_hat.shape[1]).to(y_hat.dtype)\n    return -(one_hot * torch.log(y_hat)).sum(dim=1)"),
    ("sgd_data_updates", "optim", "    with torch.no_grad():\n        for param in params:\n            if param.grad is None:\n                continue\n            param -= lr * param.grad / batch_size\n            param.grad.zero_()",
     "    for param in params:\n        param.data -= lr * param.grad.data / batch_size\n        param.grad.data.zero_()"),
    # they train identically to the reference: a grader that watched how they zero gradients or
    # disable them (rather than the weights and accuracies that result) would take points from them
    ("train_epoch_net_zero_grad", "training", "updater.zero_grad()", "net.zero_grad()"),
    ("train_epoch_grad_none_after_step", "training",
     "            updater.zero_grad()\n            losses.mean().backward()\n            updater.step()\n",
     "            losses.mean().backward()\n            updater.step()\n"
     "            for group in updater.param_groups:\n                for param in group[\"params\"]:\n"
     "                    param.grad = None\n"),
    ("eval_inference_mode", "metrics", "with torch.no_grad():", "with torch.inference_mode():"),
    # clearing is zeroing, as torch.optim does it: p.grad = None, and zero_grad() either way
    ("sgd_grad_none", "optim", "            param.grad.zero_()\n", "            param.grad = None\n"),
    ("train_epoch_zero_grad_keeps_tensors", "training", "updater.zero_grad()", "updater.zero_grad(set_to_none=False)"),
]
