import torch

from .metrics import evaluate_accuracy


def train_epoch(net, train_iter, loss, updater):
    train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y).sum()

        # 梯度清零
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()

        l.backward()
        if isinstance(updater, torch.optim.Optimizer):
            updater.step()
        else:
            updater(X.shape[0])

        train_l_sum += l.item()
        train_acc_sum += (y_hat.argmax(dim=1) == y).sum().item()
        n += y.shape[0]
    return train_l_sum / n, train_acc_sum / n


def train(net, train_iter, test_iter, loss, num_epochs, updater, *, callback=None, progress=True):
    for epoch in range(num_epochs):
        train_l, train_acc = train_epoch(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(test_iter, net)
        print('epoch %d, loss %.4f, train acc %.3f, test acc %.3f'
              % (epoch + 1, train_l, train_acc, test_acc))
