"""The benchmarks' --quick modes run and print what they promise (no timing asserted).

Run by ``make bench-smoke`` (part of ``make test``) in a pytest process of its own,
apart from the unit suite: the scripts set process-wide state (torch's thread count
for CTGAN and bench_threads.py) that must not reach the unit tests.
"""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from skactive.datasets import default_data_home

BENCHMARKS = Path(__file__).resolve().parents[1]
# As when a script runs: its folder on sys.path, for the scripts' `from _common import ...`.
sys.path.insert(0, str(BENCHMARKS))


def load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_svm_evaluation_quick(capsys):
    scores, _, ratios = load("svm_evaluation").main(["--quick"])
    out = capsys.readouterr().out
    rows = {name for name, _ in scores}
    assert rows == {
        "SVM",
        "RandomOverSampler",
        "SMOTE",
        "AC-GAN",
        "AC-GAN+F",
        "ActiveGAN",
        "ActiveGAN+F",
    }
    assert all(0 <= v <= 1 for values in scores.values() for v in values)
    assert "Macro F1" in out and "Informative ratio" in out


def test_svm_evaluation_quick_writes_a_results_file(tmp_path, capsys):
    import _results
    from _common import mean_std

    path = tmp_path / "x.json"
    scores, _, _ = load("svm_evaluation").main(["--quick", "--results", str(path)])
    out = capsys.readouterr().out
    data = _results.load(path)
    assert set(_results.PROVENANCE_KEYS) <= set(data["provenance"])
    assert _results.provenance_problems(data) == []
    # the macro_f1 table holds the SVM row as it was printed
    _, header, rows = _results.table(data, "macro_f1")
    (svm_row,) = [row for row in rows if row[0] == "SVM"]
    (svm_line,) = [line for line in out.splitlines() if line.split()[:1] == ["SVM"]]
    assert svm_line.split() == " ".join(svm_row).split()
    f1 = _results.cell(data, "macro_f1", "SVM", "n=100 F1")
    assert f1.startswith(mean_std(100 * np.asarray(scores["SVM", 100])))
    assert header[1:] == ["n=100 F1", "n=100 time (s)", "n=100 kept"]


def test_paper_reproduction_quick_on_digits(capsys):
    scores, info = load("paper_reproduction").main(["--quick", "--alpha-ablation"])
    out = capsys.readouterr().out
    row = scores[100]
    for name in ("SVM", "SMOTE", "AC-GAN", "ActiveGAN", "ActiveGAN+F t=0.1", "ActiveGAN a=1.0"):
        assert name in row and 0 <= row[name][0] <= 100
    # +F keeps a subset of one generated set: its share never falls as t grows.
    kept = info[(100, "ActiveGAN")][0]["kept"]
    assert np.all(np.diff([kept[t] for t in sorted(kept)]) >= 0)
    assert "Table 1 (digits)" in out and "Fig. 3" in out and "Table 3" in out
    assert "best t" in out


def test_paper_reproduction_rejects_unknown_dataset():
    with pytest.raises(SystemExit):
        load("paper_reproduction").main(["--dataset", "cifar10"])


@pytest.mark.skipif(
    not (default_data_home() / "imblearn_zenodo").is_dir()
    or not (default_data_home() / "fashion_mnist").is_dir(),
    reason="needs ../shared/data (imblearn_zenodo, fashion_mnist)",
)
def test_imbalanced_quick_reports_knn_crashes(capsys):
    out = load("imbalanced").main(["--quick"])
    text = capsys.readouterr().out
    zenodo_rows, _, _ = out["zenodo"]
    assert len(zenodo_rows) == 3
    # binary sets: macro-F1, balanced accuracy and the ROC AUC of the decision values
    for row in zenodo_rows.values():
        for scores in row["none"] + row["ActiveGAN"]:
            assert len(scores) == 3 and all(0 <= s <= 100 for s in scores)
    assert "ROC AUC (%)" in text
    fm_rows, _, errors = out["fashion-mnist"]
    (row,) = fm_rows.values()
    # The smallest class has fewer rows than SMOTE's k_neighbors + 1: the peers crash,
    # the crash is reported, ActiveGANAugmenter still produces scores.
    assert row["SMOTE"] == [None] and "SMOTE" in errors
    assert row["ActiveGAN"][0] is not None
    assert row["class weights"][0] is not None
    assert len(row["none"][0]) == 2  # ten classes: no ROC AUC
    assert "crash 1/1" in text


@pytest.mark.parametrize(
    "argv",
    [["--tuned-threshold", "2"], ["--part", "zenodo", "--tuned-threshold", "1"]],
)
def test_imbalanced_refuses_a_threshold_it_cannot_tune(argv):
    # ten-class Fashion-MNIST (the default --part both) has no single threshold; K >= 2
    with pytest.raises(SystemExit):
        load("imbalanced").main(["--quick", *argv])


@pytest.mark.skipif(
    not (default_data_home() / "imblearn_zenodo").is_dir(),
    reason="needs ../shared/data/imblearn_zenodo",
)
def test_imbalanced_tuned_threshold_keeps_the_ranking(capsys):
    # the refitted pipelines are the untuned ones: same ROC AUC, another operating point
    argv = ["--quick", "--part", "zenodo", "--samplers", "none", "RandomOverSampler"]
    plain, _, _ = load("imbalanced").main(argv)["zenodo"]
    tuned, _, _ = load("imbalanced").main([*argv, "--tuned-threshold", "2"])["zenodo"]
    for data, row in plain.items():
        for name, scores in row.items():
            assert [s[2] for s in scores] == [s[2] for s in tuned[data][name]]
    assert "threshold tuned for balanced accuracy" in capsys.readouterr().out


@pytest.mark.skipif(
    not (default_data_home() / "imblearn_zenodo").is_dir(),
    reason="needs ../shared/data/imblearn_zenodo",
)
def test_gan_fidelity_quick(capsys):
    modes = ["auto", "matched", "band0.1-0.5", "SMOTE"]
    out = load("gan_fidelity").main(["--quick", "--modes", *modes])
    row = out["ecoli"]
    assert set(row) == {"none", *modes}
    for mode in modes:
        assert 0 <= row[mode]["P(min)"] <= 1 and 0 <= row[mode]["near min"] <= 1
        assert row[mode]["spread"] >= 0 and 0 <= row[mode]["F1"] <= 100
        for key in ("boundary bins", "boundary bins real"):
            assert len(row[mode][key]) == 6 and np.isclose(sum(row[mode][key]), 1)
    printed = capsys.readouterr().out
    assert "near min gen/real" in printed and "Where the minority rows sit" in printed


def test_convex_probe_rows_lie_in_their_class_hull():
    """GAMO's convex rows (gan_fidelity's convex modes) stay in their class's hull.

    Each generated row of a class is a convex combination of that class's rows, on a
    mixed frame too; seeded.
    """
    pd = pytest.importorskip("pandas")
    from _convex import ConvexGAN
    from scipy.optimize import linprog

    def in_hull(points, row):
        n = len(points)
        lp = linprog(np.zeros(n), A_eq=np.vstack([points.T, np.ones(n)]), b_eq=np.r_[row, 1.0])
        return lp.status == 0  # default bounds: weights >= 0

    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(0, 1, (120, 3)), rng.normal(2, 0.5, (30, 3))]
    y = np.r_[np.zeros(120, int), np.ones(30, int)]
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["colour"] = pd.Categorical(np.where(X[:, 0] > 1, "red", "blue"))
    params = dict(max_iter=60, n_warmup_iter=20, random_state=0)
    rows, labels = ConvexGAN(**params).set_tau(0.1).fit_resample(frame, y)
    again, _ = ConvexGAN(**params).set_tau(0.1).fit_resample(frame, y)
    pd.testing.assert_frame_equal(rows, again)
    new = rows.iloc[len(X) :]
    assert len(new) == 90 and set(labels[len(X) :]) == {1}
    assert set(new["colour"]) <= {"red", "blue"}
    assert all(in_hull(X[y == 1], row) for row in new[["a", "b", "c"]].to_numpy()[:10])


def test_proxy_probe_reads_the_classifier_through_an_exact_map():
    """The proxy probe's affine map gives the codec's classifier rows; its term lifts r.

    On a table with a numeric one-hot group, a flag and a named category the map
    equals ``generated_to_classifier`` on hard rows; a gradient step on
    ``-mean(r)`` raises the mean reward; the fit is seeded.
    """
    pd = pytest.importorskip("pandas")
    import torch
    from _proxy import ProxyGAN, ProxyReward, soft_classifier_map

    rng = np.random.RandomState(0)
    n = 300
    x = rng.normal(size=(n, 2))
    colour = np.eye(3)[rng.randint(3, size=n)]
    flag = rng.randint(2, size=(n, 1))
    y = (x[:, 0] + flag[:, 0] + rng.normal(scale=0.5, size=n) > 1.6).astype(int)
    frame = pd.DataFrame(np.hstack([x, colour, flag]), columns=list("abcdef"))
    frame["size"] = pd.Categorical(np.where(x[:, 1] > 0, "big", "small"))
    params = dict(max_iter=60, n_warmup_iter=20, random_state=0)
    est = ProxyGAN(**params)
    rows, _ = est.fit_resample(frame, y)
    again, _ = ProxyGAN(**params).fit_resample(frame, y)
    pd.testing.assert_frame_equal(rows, again)
    assert est.one_hot_groups_[0].tolist() == [2, 3, 4]
    codec = est._codec
    A, c = soft_classifier_map(codec)
    hard = est.net_.generate(torch.ones(50, dtype=torch.long), torch.Generator().manual_seed(0))
    hard = hard.numpy().astype(np.float64)
    np.testing.assert_allclose(hard @ A + c, codec.generated_to_classifier(hard), atol=1e-9)
    reward = ProxyReward(est.classifier_, codec, alpha=0.5)
    x_gen = torch.tensor(hard, requires_grad=True)
    before = reward(x_gen).mean()
    before.backward()
    with torch.no_grad():
        after = reward(x_gen + 0.01 * x_gen.grad / x_gen.grad.norm()).mean()
    assert after > before


def test_bench_threads_quick(capsys):
    results = load("bench_threads").main(["--quick", "--repeats", "1"])
    out = capsys.readouterr().out
    assert {n_jobs for _, n_jobs in results} >= {1}
    assert all(idle > 0 and busy > 0 for idle, busy in results.values())
    assert "busy/idle" in out and "AALU query" in out and "fit_resample" in out


@pytest.mark.skipif(
    not (default_data_home() / "imblearn_zenodo").is_dir(),
    reason="needs ../shared/data/imblearn_zenodo",
)
def test_mixed_data_quick(capsys):
    rows, qualities = load("mixed_data").main(["--quick"])
    assert len(rows) == 2
    for label, quality in qualities.items():
        # the table samplers return categories only; one-hot numbers mostly do not
        for method in ("RandomOverSampler", "SMOTE-NC", "ActiveGAN cat", "AC-GAN cat"):
            assert all(valid == 100 for valid, _ in quality[method]), (label, method)
        assert all(0 <= tv <= 1 for q in quality.values() for _, tv in q)
    assert "valid % / TV" in capsys.readouterr().out


@pytest.mark.skipif(
    not (default_data_home() / "imblearn_zenodo").is_dir(),
    reason="needs ../shared/data/imblearn_zenodo",
)
def test_coded_tables_quick(capsys):
    rows = load("coded_tables").main(["--quick"])
    added = [r for r in rows if "valid" in r]
    # copies of real rows and the generator's rows hold valid codes in both settings
    for r in added:
        if r["sampler"] in ("RandomOverSampler", "ActiveGAN"):
            assert r["valid"] == 100, r
    assert {r["setting"] for r in added} == {"scaled", "unscaled"}
    assert all(0 <= r["p_min"] <= 1 for r in added)
    assert "rows added to the minority class" in capsys.readouterr().out


def test_bench_scaling_quick(capsys):
    results = load("bench_scaling").main(["--quick", "--samplers", "AC-GAN", "SMOTE"])
    assert set(results) == {("AC-GAN", 1000), ("AC-GAN", 2000), ("SMOTE", 1000), ("SMOTE", 2000)}
    for cell in results.values():
        assert cell["seconds"] > 0 and cell["peak_mib"] > 0
    assert results["AC-GAN", 2000]["rows_out"] == 2 * 1791  # minority up to the majority
    assert "peak MiB" in capsys.readouterr().out


def test_bench_big_pool_quick_same_picks_in_every_mode(capsys):
    pytest.importorskip("dask.array", reason="needs the 'dask' extra")
    results, same = load("bench_big_pool").main(["--quick"])
    assert set(results) == {"in-memory", "memmap", "dask"}
    assert same and all(len(cell["picked"]) == 100 for cell in results.values())
    out = capsys.readouterr().out
    assert "same indices in every mode" in out
    assert any(line.split() == ["every", "mode", "True"] for line in out.splitlines())


def test_bench_pool_sample_quick(capsys):
    picks, memory = load("bench_pool_sample").main(["--quick"])
    for name in ("VAAL", "AALU", "TA-VAAL"):
        # max_samples >= the pool ("auto" here) trains on every row: the whole pool's picks
        assert picks[name, "auto"][0][2] == 100.0 and picks[name, "whole pool"][0][0] == 1300
        assert picks[name, "200"][0][0] == 200
    assert memory["in-memory, auto"]["picked"] == memory["memmap"]["picked"]
    assert "% shared w/ whole" in capsys.readouterr().out


@pytest.mark.skipif(
    not (default_data_home() / "fashion_mnist").is_dir()
    or not (default_data_home() / "mnist").is_dir(),
    reason="needs ../shared/data/mnist and fashion_mnist",
)
def test_paper_reproduction_quick_with_pretrained_cnn_features(tmp_path, capsys):
    argv = ["--quick", "--dataset", "fashion-mnist", "--features", "cnn", "--image-gan"]
    scores, _ = load("paper_reproduction").main([*argv, "--cache-dir", str(tmp_path)])
    assert (tmp_path / "feature_cnn_trained_on_mnist.pt").exists()  # trained on the other set
    assert all(0 <= scores[200][name][0] <= 100 for name in ("SVM", "AC-GAN", "ActiveGAN"))
    assert "features: cnn" in capsys.readouterr().out


@pytest.mark.skipif(
    not (Path(default_data_home()) / "fashion_mnist").exists(),
    reason="needs ../shared/data/fashion_mnist",
)
def test_active_learning_quick_with_the_joint_loss_prediction_cnn(capsys):
    joint = ["Random (joint net)", "LearningLoss (joint)", "TA-VAAL (joint)"]
    argv = ["--quick", "--dataset", "fashion-mnist", "--model", "cnn", "--n-pool", "600"]
    load("active_learning").main([*argv, "--n-test", "200", "--only", *joint])
    out = capsys.readouterr().out
    assert all(name in out for name in joint) and "AULC" in out


def test_active_learning_joint_strategies_need_the_cnn():
    with pytest.raises(SystemExit):
        load("active_learning").main(["--quick", "--only", "LearningLoss (joint)"])
