"""Public checks for course_lib/model.py."""

import torch

from course_tools.judge.checks import check, expect, expect_close
from course_tools.i18n import N_, _


@check("SoftmaxRegression: shapes of W, b and the output", hint=N_("W: (num_inputs, num_outputs) from torch.normal(0, sigma, ...); b: zeros(num_outputs); the output is softmax(X.reshape(n, -1) @ W + b)."))
def test_shapes(student):
    got = student.run("model_init", "model", seed=0, num_inputs=12, num_outputs=3, sigma=0.01)
    expect(tuple(got["W"].shape) == (12, 3) and tuple(got["b"].shape) == (3,),
           _("W {W} and b {b}, expected (12, 3) and (3,)").format(W=tuple(got["W"].shape), b=tuple(got["b"].shape)))
    W, b, X = torch.randn(12, 3) * 0.1, torch.zeros(3), torch.rand(2, 1, 3, 4)
    out = student.run("model_forward", "model", W=W, b=b, X=X)
    expect_close(out, torch.softmax(X.reshape(2, 12) @ W + b, dim=1), _("the output on X of shape (2, 1, 3, 4)"))  # oracle: PyTorch
