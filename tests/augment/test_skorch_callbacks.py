"""Real skorch callbacks reach both nets of the GAN: clipping, LR schedules, early stopping."""

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback, GradientNormClipping, LRScheduler
from torch.optim.lr_scheduler import StepLR


class GradNorms(Callback):
    """Record the gradient norm of every net that is about to step."""

    def initialize(self):
        self.norms = []
        return self

    def on_grad_computed(self, net, named_parameters, **kwargs):
        grads = [p.grad.detach().ravel() for _, p in named_parameters if p.grad is not None]
        self.norms.append(float(torch.linalg.vector_norm(torch.cat(grads))))


class LearningRates(Callback):
    """Record both optimizers' learning rates after every batch."""

    def initialize(self):
        self.rates = []
        return self

    def on_batch_end(self, net, **kwargs):
        self.rates.append(
            (
                net.optimizer_.param_groups[0]["lr"],
                net.optimizer_discriminator_.param_groups[0]["lr"],
            )
        )


@pytest.fixture
def imbalanced(digits):
    X, y = digits
    rows = np.concatenate([np.where(y == c)[0][:n] for c, n in ((0, 60), (1, 20), (2, 10))])
    return X[rows], y[rows]


def probe(aug, name):
    return dict(aug.net_.callbacks_)[name]


def test_on_grad_computed_fires_for_both_nets(fast_augmenter, imbalanced):
    X, y = imbalanced
    sampler = fast_augmenter(callbacks=[("norms", GradNorms())])
    sampler.fit_resample(X, y)
    norms = probe(sampler, "norms").norms
    # one discriminator and one generator step per iteration
    assert len(norms) == 2 * sampler.net_.n_iter_
    assert max(norms) > 0.05


def test_gradient_norm_clipping_clips_both_nets(fast_augmenter, imbalanced):
    X, y = imbalanced
    clip = 0.01
    sampler = fast_augmenter(
        callbacks=[("clip", GradientNormClipping(gradient_clip_value=clip)), ("norms", GradNorms())]
    )
    X_clipped, _ = sampler.fit_resample(X, y)
    norms = np.array(probe(sampler, "norms").norms)
    assert np.all(norms <= clip * (1 + 1e-4))
    # clipping changes training: the rows differ from an unclipped fit with the same seed
    X_free, _ = fast_augmenter(callbacks=[("norms", GradNorms())]).fit_resample(X, y)
    assert not np.allclose(X_clipped, X_free)


def test_lr_scheduler_changes_both_learning_rates(fast_augmenter, imbalanced):
    X, y = imbalanced
    scheduler = LRScheduler(policy=StepLR, step_size=10, gamma=0.5, step_every="batch")
    sampler = fast_augmenter(callbacks=[("lr", scheduler), ("rates", LearningRates())])
    sampler.fit_resample(X, y)
    rates = probe(sampler, "rates").rates
    start = sampler.learning_rate
    generator_lr, discriminator_lr = rates[-1]
    assert generator_lr < start / 2
    # the discriminator steps with the rate the generator had at the start of the step
    assert rates[-2][0] == pytest.approx(discriminator_lr)
    assert discriminator_lr < start / 2


def test_no_callback_leaves_the_rows_unchanged(fast_augmenter, imbalanced):
    X, y = imbalanced
    plain, _ = fast_augmenter().fit_resample(X, y)
    observed, _ = fast_augmenter(callbacks=[("norms", GradNorms())]).fit_resample(X, y)
    np.testing.assert_array_equal(plain, observed)


def test_random_state_seeds_a_skorch_classifier(fast_augmenter, imbalanced):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer
    from skorch import NeuralNetClassifier
    from torch import nn

    X, y = imbalanced

    def make():
        # a module class: skorch builds (and draws) its weights when it is fitted
        net = NeuralNetClassifier(
            nn.Linear,
            module__in_features=X.shape[1],
            module__out_features=3,
            criterion=nn.CrossEntropyLoss,
            max_epochs=2,
            train_split=None,
            verbose=0,
        )
        as_float32 = FunctionTransformer(np.float32)
        return fast_augmenter(classifier=make_pipeline(as_float32, net), random_state=0)

    torch.manual_seed(1)
    first = make().fit_resample(X, y)[0]
    torch.manual_seed(2)  # another global state: the rows must not depend on it
    second = make().fit_resample(X, y)[0]
    np.testing.assert_array_equal(first, second)


def test_early_stopping_on_the_generator_loss_ends_training_and_still_generates(
    fast_augmenter, imbalanced
):
    """skorch's epoch ``train_loss`` is the mean generator loss (``train_step``'s loss)."""
    from skorch.callbacks import EarlyStopping

    X, y = imbalanced
    full = fast_augmenter(max_iter=60)
    full.fit_resample(X, y)
    # a threshold no epoch can beat: training stops after patience + 1 epochs
    stop = EarlyStopping(monitor="train_loss", patience=1, threshold=1e9, sink=lambda *_: None)
    early = fast_augmenter(max_iter=60, callbacks=[stop])
    X_res, y_res = early.fit_resample(X, y)
    assert len(early.history_) == 2 < len(full.history_)
    epoch = early.history_[0]
    assert epoch["train_loss"] == pytest.approx(np.mean([b["g_loss"] for b in epoch["batches"]]))
    assert np.isfinite(X_res).all() and np.bincount(y_res).tolist() == [60, 60, 60]
