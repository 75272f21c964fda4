"""Does the Fashion-MNIST pipeline read the real files right, fast, and refuse broken ones?"""

import struct

import pytest
import torch
import torchvision
from torchvision import transforms

from course_lib import data
from course_lib.data import (FASHION_MNIST_CLASSES, FashionMNISTNotFoundError, get_fashion_mnist_labels,
                             load_data_fashion_mnist)
from course_lib.idx import IDXFormatError


def write_idx(folder, n_train=7, n_test=5, seed=0):
    """Write a tiny, valid Fashion-MNIST root (four uncompressed IDX files) and return its tensors."""
    raw = folder / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    g = torch.Generator().manual_seed(seed)
    tensors = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = torch.randint(0, 256, (n, 28, 28), dtype=torch.uint8, generator=g)
        labels = torch.randint(0, 10, (n,), dtype=torch.uint8, generator=g)
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(struct.pack(">HBBIII", 0, 8, 3, n, 28, 28) + images.numpy().tobytes())
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(struct.pack(">HBBI", 0, 8, 1, n) + labels.numpy().tobytes())
        tensors[prefix] = (images, labels)
    return raw, tensors


def seed_pipeline(root, train, batch_size, resize=None):
    """The seed's pipeline: torchvision dataset + ToTensor (+ Resize) + DataLoader."""
    trans = [transforms.ToTensor()] if resize is None else [transforms.Resize(resize), transforms.ToTensor()]
    ds = torchvision.datasets.FashionMNIST(str(root), train=train, transform=transforms.Compose(trans), download=False)
    return torch.utils.data.DataLoader(ds, batch_size, shuffle=train, num_workers=0)


def test_batches_have_contract_shapes_and_dtypes(tmp_path):
    """Are X float32 (B, 1, 28, 28) in [0, 1] and y int64 (B,), with a smaller last batch?"""
    write_idx(tmp_path, n_train=7)
    train_iter, test_iter = load_data_fashion_mnist(3, root=tmp_path)
    shapes = [(tuple(X.shape), tuple(y.shape)) for X, y in train_iter]
    assert shapes == [((3, 1, 28, 28), (3,)), ((3, 1, 28, 28), (3,)), ((1, 1, 28, 28), (1,))]
    X, y = next(iter(test_iter))
    assert X.dtype == torch.float32 and y.dtype == torch.int64
    assert 0.0 <= X.min() and X.max() <= 1.0 and len(train_iter) == 3


def test_same_batches_as_the_seed_dataloader(data_root):
    """Under one seed, are the batches identical to torchvision + ToTensor + DataLoader, both splits?"""
    for train in (True, False):
        torch.manual_seed(7)
        ours = list(load_data_fashion_mnist(256, root=data_root, download=False)[0 if train else 1])
        torch.manual_seed(7)
        seed = list(seed_pipeline(data_root, train, 256))
        assert len(ours) == len(seed)
        for (X, y), (X_seed, y_seed) in zip(ours, seed):
            assert torch.equal(X, X_seed) and torch.equal(y, y_seed)  # oracle: the seed's DataLoader


def test_same_batches_as_the_seed_dataloader_over_epochs(data_root):
    """Do two epochs of train-then-test passes, as train() makes them, give the DataLoader's batches?"""
    def epochs(train_iter, test_iter):
        torch.manual_seed(3)
        return [[y for _, y in it] for _ in range(2) for it in (train_iter, test_iter)]

    ours = epochs(*load_data_fashion_mnist(256, root=data_root, download=False))
    seed = epochs(seed_pipeline(data_root, True, 256), seed_pipeline(data_root, False, 256))
    assert len(ours) == len(seed) == 4
    for passes, seed_passes in zip(ours, seed):  # oracle: the seed's DataLoader, pass by pass
        assert all(torch.equal(a, b) for a, b in zip(passes, seed_passes))


def test_training_iterator_reshuffles_each_epoch_and_test_keeps_order(tmp_path):
    """Does each training pass draw a new order while the test pass keeps file order?"""
    _, tensors = write_idx(tmp_path, n_train=50, n_test=5)
    train_iter, test_iter = load_data_fashion_mnist(50, root=tmp_path)
    first, second = next(iter(train_iter))[1], next(iter(train_iter))[1]
    assert not torch.equal(first, second) and torch.equal(first.sort().values, second.sort().values)
    assert torch.equal(next(iter(test_iter))[1], tensors["t10k"][1].long())


def test_resize_matches_seed_pipeline_within_one_level(data_root):
    """Does resize give the seed's Resize + ToTensor values, within one grey level?"""
    _, test_iter = load_data_fashion_mnist(64, resize=32, root=data_root, download=False)
    X, _ = next(iter(test_iter))
    X_seed, _ = next(iter(seed_pipeline(data_root, False, 64, resize=32)))
    assert X.shape == (64, 1, 32, 32)
    assert (X - X_seed).abs().max() <= 1 / 255 + 1e-6  # oracle: PIL resize in the seed pipeline


def test_root_from_environment_variable(tmp_path, monkeypatch):
    """Is FASHION_MNIST_ROOT used when no root is given?"""
    write_idx(tmp_path, n_train=4)
    monkeypatch.setenv(data.ROOT_ENV_VAR, str(tmp_path))
    train_iter, _ = load_data_fashion_mnist(10)
    assert train_iter.num_examples == 4


def test_default_root_is_a_user_cache(monkeypatch, tmp_path):
    """Without root or the variable, is the root a per-user cache folder?"""
    monkeypatch.delenv(data.ROOT_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data.resolve_data_root() == tmp_path / "softmax-course"


def test_missing_data_offline_names_files_and_fix(tmp_path):
    """With no files and download=False, does the error name the four files, the folder and the fix?"""
    with pytest.raises(FashionMNISTNotFoundError) as info:
        load_data_fashion_mnist(8, root=tmp_path, download=False)
    message = str(info.value)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        assert name in message
    assert str(tmp_path / "FashionMNIST" / "raw") in message and "FASHION_MNIST_ROOT" in message


def test_failed_download_is_reported_clearly(tmp_path, monkeypatch):
    """When the download fails (offline), is it the same clear error, with the cause chained?"""
    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")
    monkeypatch.setattr(torchvision.datasets.FashionMNIST, "download", offline)
    with pytest.raises(FashionMNISTNotFoundError, match="download failed") as info:
        load_data_fashion_mnist(8, root=tmp_path)
    assert isinstance(info.value.__cause__, RuntimeError)


@pytest.mark.parametrize("damage", ["truncate", "pad", "magic", "header_count"])
def test_damaged_idx_file_is_refused(tmp_path, damage):
    """Is a truncated, padded or mis-headed file an IDXFormatError, never a partial dataset?"""
    raw, _ = write_idx(tmp_path, n_train=6)
    path = raw / "train-images-idx3-ubyte"
    content = path.read_bytes()
    content = {
        "truncate": content[:-100],
        "pad": content + b"\0" * 784,
        "magic": b"\x1f\x8b" + content[2:],  # a gzip file saved under the raw name
        "header_count": content[:4] + struct.pack(">I", 9) + content[8:],
    }[damage]
    path.write_bytes(content)
    with pytest.raises(IDXFormatError, match="train-images-idx3-ubyte"):
        load_data_fashion_mnist(4, root=tmp_path, download=False)


def test_image_and_label_counts_must_agree(tmp_path):
    """Are images and labels of different lengths refused?"""
    raw, _ = write_idx(tmp_path, n_train=6)
    labels = raw / "train-labels-idx1-ubyte"
    labels.write_bytes(struct.pack(">HBBI", 0, 8, 1, 5) + bytes(5))
    with pytest.raises(ValueError, match="6 images but .* 5 labels"):
        load_data_fashion_mnist(4, root=tmp_path, download=False)


def test_out_of_range_labels_are_refused(tmp_path):
    """Is a label outside 0..9 refused?"""
    raw, _ = write_idx(tmp_path, n_train=3)
    (raw / "train-labels-idx1-ubyte").write_bytes(struct.pack(">HBBI", 0, 8, 1, 3) + bytes([1, 2, 12]))
    with pytest.raises(ValueError, match="outside 0..9"):
        load_data_fashion_mnist(4, root=tmp_path, download=False)


def test_the_grading_check_refuses_the_same_files_without_importing_torch(tmp_path):
    """Does idx.check_raw_files (what `course grade` checks before grading) refuse missing files with the fix and a
    corrupt labels file as the loader does, and pass whole files with torch never imported?"""
    import subprocess
    import sys

    from course_lib.idx import check_raw_files

    with pytest.raises(FashionMNISTNotFoundError, match="looked in"):
        check_raw_files(tmp_path / "nowhere")
    raw, _ = write_idx(tmp_path, n_train=3, n_test=3)
    script = "import sys; from course_lib.idx import check_raw_files; check_raw_files(sys.argv[1]); " \
             "assert 'torch' not in sys.modules, 'torch was imported'"
    assert subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True).returncode == 0
    (raw / "t10k-labels-idx1-ubyte").write_bytes(struct.pack(">HBBI", 0, 8, 1, 3) + bytes([1, 2, 12]))
    with pytest.raises(ValueError, match="outside 0..9"):
        check_raw_files(tmp_path)


def test_sample_has_the_documented_size(data_root):
    """Does the shared sample load whole (at least its documented 3,000 + 594 images)?"""
    train_iter, test_iter = load_data_fashion_mnist(256, root=data_root, download=False)
    assert train_iter.num_examples >= 3000 and test_iter.num_examples >= 594


def test_text_labels():
    """Are class indices mapped to their names?"""
    assert get_fashion_mnist_labels(torch.tensor([0, 9, 5])) == ["t-shirt/top", "ankle boot", "sandal"]  # the official class names
    assert len(FASHION_MNIST_CLASSES) == 10


def test_show_images_draws_a_grid():
    """Does show_images draw one titled axis per image and hide the spare ones?"""
    import matplotlib
    matplotlib.use("Agg")
    from course_lib.plotting import show_images
    axes = show_images(torch.rand(5, 1, 28, 28), 2, 3, titles=list("abcde"))
    assert len(axes) == 6 and [ax.get_title() for ax in axes[:5]] == list("abcde")
    assert not axes[5].get_visible()


def test_batch_size_must_be_positive(tmp_path):
    """Is a bad batch size a clear ValueError?"""
    with pytest.raises(ValueError, match="batch_size"):
        load_data_fashion_mnist(0, root=tmp_path)
