"""Does the lab's last cell find each answer's cell in the kernel, as the graders would read it from the notebook?"""

import functools
import json
import linecache

from course_tools import lab_check, notebook_answers

SOFTMAX_CELL = "import torch\n\n\ndef softmax(X):\n    return torch.softmax(X, dim=-1)\n"
MODEL_CELL = "class SoftmaxRegression:\n    def __init__(self, n):\n        self.n = n\n"


def run_cell(source: str, namespace: dict, number: int) -> None:
    """Run `source` as IPython runs a cell: compiled under a file name that linecache holds."""
    filename = f"/tmp/ipykernel_0/{number}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)


def test_each_name_gives_the_cell_that_last_defined_it():
    """Are a function's and a class's cells found, the later of two definitions winning, and names defined
    elsewhere (no kept source) left out? Oracle: the cells' own text."""
    namespace = {}
    run_cell("def softmax(X):\n    return X\n", namespace, 1)
    run_cell(SOFTMAX_CELL, namespace, 2)
    run_cell(MODEL_CELL, namespace, 3)
    exec("def sgd(params, lr, batch_size):\n    pass\n", namespace)  # compiled as "<string>": no kept source
    namespace["accuracy"] = functools.partial(max)  # not code of the notebook's
    assert lab_check.answer_cells(namespace) == {"softmax": SOFTMAX_CELL, "SoftmaxRegression": MODEL_CELL}


def test_the_cells_read_back_as_the_graders_read_a_notebook():
    """Does the notebook written for `course check --notebook` give notebook_answers the cells as the answers?"""
    notebook = lab_check.lab_notebook({"softmax": SOFTMAX_CELL})
    built, answered, empty = notebook_answers.modules({"lab.ipynb": json.dumps(notebook).encode()})
    assert answered == {"softmax"} and not empty
    assert SOFTMAX_CELL.strip() in built["softmax"]
