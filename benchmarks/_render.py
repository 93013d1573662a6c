"""Tables and figures derived from results files: one place for the README, the docs and tests.

Every function here reads what a benchmark stored (``_results.load``) and
computes from it; nothing is typed by hand. The docs' Sphinx directives
(``docs/_ext/results_directives.py``) and ``render_results.py`` (the README's
results block) call these, and the tests check that what they render matches
the files.
"""

from __future__ import annotations

import math
from collections import defaultdict

from _results import load, markdown_table, provenance_line, slug

# the imbalanced-learn over-samplers ActiveGAN is compared with
OVERSAMPLERS = ("RandomOverSampler", "SMOTE", "BorderlineSMOTE", "ADASYN")
METRICS = ("balanced accuracy", "macro-F1", "ROC AUC")


def _mean(values):
    values = list(values)
    return sum(values) / len(values)


def _std(values):
    values = list(values)
    m = _mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def _records_key(data):
    """Return the key of the imbalanced-learn sets' records (it names the model)."""
    return next(k for k in data["records"] if k.startswith("imbalanced_learn_benchmark_sets"))


def _benchmark_records(data):
    """Return the raw records of the imbalanced-learn sets."""
    return data["records"][_records_key(data)]


def _fold_scores(data):
    """Return ``(cells, sets, samplers)``: fold scores by (sampler, metric, seed, set).

    Only sets where no sampler crashed are kept, so that all samplers are
    averaged over the same sets.
    """
    rows = _benchmark_records(data)
    n_folds = data["provenance"]["options"]["folds"]
    crashed = {r["data set"] for r in rows if r["crashed"]}
    sets = sorted({r["data set"] for r in rows} - crashed)
    cells = defaultdict(list)
    for r in rows:
        if r["data set"] in crashed:
            continue
        for metric in METRICS:
            if r.get(metric) is not None:
                cells[r["sampler"], metric, r["repeat"] // n_folds, r["data set"]].append(r[metric])
    return cells, sets, list(dict.fromkeys(r["sampler"] for r in rows))


def imbalanced_seed_means(data):
    """Per sampler and metric, the mean over data sets at each seed.

    Returns
    -------
    means : dict
        ``{sampler: {metric: [mean over sets at seed 0, at seed 1, ...]}}``
    sets : list of str
        The data sets averaged over (those where no sampler crashed).
    """
    cells, sets, samplers = _fold_scores(data)
    seeds = sorted({k[2] for k in cells})
    means = defaultdict(dict)
    for sampler in samplers:
        for metric in METRICS:
            per_seed = []
            for seed in seeds:
                folds = [cells.get((sampler, metric, seed, s)) for s in sets]
                if all(folds):
                    per_seed.append(_mean(_mean(f) for f in folds))
            if per_seed:
                means[sampler][metric] = per_seed
    return dict(means), sets


def _mean_cell(per_seed):
    """``"mean ± std"`` over seeds, or the mean alone for one seed (no spread measured)."""
    if len(per_seed) == 1:
        return f"{per_seed[0]:.1f}"
    return f"{_mean(per_seed):.1f} ± {_std(per_seed):.1f}"


def imbalanced_summary(data):
    """Return ``(header, rows)``: each sampler's mean score over the sets, +- std over seeds.

    The last column is the balanced accuracy's difference to the best
    over-sampler in ``OVERSAMPLERS``, when the run measured one (a run of
    variants alone has no such column).
    """
    means, sets = imbalanced_seed_means(data)
    peers = [s for s in OVERSAMPLERS if s in means]
    metrics = [m for m in METRICS if all(m in v for v in means.values())]
    header = ["sampler", *[f"{m} (%)" for m in metrics]]
    if peers:
        best = max(peers, key=lambda s: _mean(means[s]["balanced accuracy"]))
        best_ba = _mean(means[best]["balanced accuracy"])
        header.append(f"balanced accuracy vs {best}")
    rows = []
    for sampler, values in means.items():
        cells = [_mean_cell(values[m]) for m in metrics]
        if peers:
            cells.append(f"{_mean(values['balanced accuracy']) - best_ba:+.1f}")
        rows.append([sampler, *cells])
    return header, rows


def summary_caption(data):
    """Describe what :func:`imbalanced_summary` averages."""
    means, sets = imbalanced_seed_means(data)
    seeds = len(next(iter(next(iter(means.values())).values())))
    opts = data["provenance"]["options"]
    model = MODEL_NAMES.get(opts["model"].split("-")[0], opts["model"])
    spread = (
        f"± its standard deviation over {seeds} sampler seeds"
        if seeds > 1
        else "at one sampler seed"
    )
    return (
        f"Mean over {len(sets)} imbalanced-learn benchmark sets of the {opts['folds']}-fold "
        f"cross-validated score, {spread}; StandardScaler, then the sampler, then {model} "
        '(class weights: `class_weight="balanced"` and no sampler).'
    )


def reference_name(data):
    """Return the default-rows run a run of ``imbalanced.py --samplers ...`` is compared with.

    ``None`` for a run of the default rows. A run of chosen samplers is
    stored as the default run's name followed by the samplers' slugs.
    """
    samplers = data["provenance"]["options"].get("samplers") or []
    suffix = "_" + "_".join(slug(s) for s in samplers)
    name = data["name"]
    if not samplers or not name.endswith(suffix) or name == suffix:
        return None
    return name[: -len(suffix)]


def _sampler_seeds(data):
    """Return the sampler seeds of an imbalanced run, in the order its records number them."""
    return data["provenance"]["options"].get("sampler_seeds") or data["provenance"]["seeds"]


def with_reference(data, reference):
    """Return ``data`` plus the ``reference`` run's samplers, at ``data``'s seeds only.

    Every score in the result was measured at the same sampler seeds and
    folds, so the summary compares like with like; samplers ``data`` has are
    taken from ``data``. Raises ``ValueError`` when the folds differ or a
    seed of ``data`` is missing from ``reference``.
    """
    opts, ref_opts = data["provenance"]["options"], reference["provenance"]["options"]
    if opts["folds"] != ref_opts["folds"]:
        raise ValueError(f"{data['name']} and {reference['name']} use different folds")
    seeds, ref_seeds = _sampler_seeds(data), _sampler_seeds(reference)
    if not set(seeds) <= set(ref_seeds):
        raise ValueError(f"{reference['name']} lacks seeds {sorted(set(seeds) - set(ref_seeds))}")
    n_folds = opts["folds"]
    own = _benchmark_records(data)
    mine = {r["sampler"] for r in own}
    added = []
    for r in _benchmark_records(reference):
        seed = ref_seeds[r["repeat"] // n_folds]
        if r["sampler"] not in mine and seed in seeds:
            repeat = seeds.index(seed) * n_folds + r["repeat"] % n_folds
            added.append({**r, "repeat": repeat})
    return {**data, "records": {_records_key(data): added + own}}


def _compared(data):
    """Return ``(data with the default rows at its seeds, reference name or None)``."""
    reference = reference_name(data)
    if reference is None:
        return data, None
    return with_reference(data, load(reference)), reference


def imbalanced_compared(data):
    """:func:`imbalanced_summary` of a run of chosen samplers next to the default rows.

    The default rows (peers, class weights, the package's defaults) come from
    :func:`reference_name`'s run, at this run's seeds (:func:`with_reference`).
    """
    return imbalanced_summary(_compared(data)[0])


def compared_caption(data):
    """Describe what :func:`imbalanced_compared` averages (the sets of both runs)."""
    merged, reference = _compared(data)
    text = summary_caption(merged)
    if reference is None:
        return text
    return text + f" The rows this run did not measure are {reference}'s at the same seeds."


SHAPE_MEASURES = ("spread", "coverage", "recall")


def fidelity_shape(data):
    """Return ``(header, rows)``: each gan_fidelity row's mean spread, coverage and recall.

    Means over the splits of a ``gan_fidelity`` results file: how much of the
    real minority rows' spread the generated rows have, and how much of the
    held-out real minority rows they reach (coverage and recall of
    :func:`skactive.metrics.precision_recall_density_coverage`).
    """
    by_mode = {}
    for record in data["records"]["rows"]:
        if "spread" in record:
            by_mode.setdefault(record["rows"], []).append(record)
    header = ["rows", *SHAPE_MEASURES]
    rows = [
        [mode, *[f"{_mean([r[m] for r in records]):.2f}" for m in SHAPE_MEASURES]]
        for mode, records in by_mode.items()
    ]
    return header, rows


def fidelity_shape_caption(data):
    """Describe what :func:`fidelity_shape` averages."""
    n_splits = len({record["data set"] for record in data["records"]["rows"]})
    return (
        f"Generated minority rows, means over {n_splits} splits: spread (their standard "
        "deviation over the real minority rows'; near 0: collapsed), coverage (share of "
        "held-out real minority rows whose k-NN ball holds a generated row) and recall "
        "(share of held-out real minority rows inside a generated row's k-NN ball)"
    )


# how the benchmarks' --model values read in a caption
MODEL_NAMES = {
    "svc": "an RBF SVC",
    "logreg": "a logistic regression",
    "hgb": "gradient-boosted trees",
}


def markdown_rows(header, rows):
    """Render a header and rows as a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


# The README's results block


def readme_block():
    """Return the README's results block, rendered from the results files."""
    imb = load("imbalanced_zenodo")
    main = load("svm_evaluation")
    speed = load("bench_activegan_speed")
    header, rows = imbalanced_summary(imb)
    fit = speed["tables"]["fit_time"]
    parts = [
        "**Imbalanced tables.** " + summary_caption(imb),
        "",
        markdown_rows(header, rows),
        "",
        f"<sub>Measured with {provenance_line(imb)}.</sub>",
        "",
        "**The main job** (`make main`): " + main["tables"]["macro_f1"]["title"] + ".",
        "",
        markdown_table(main, "macro_f1"),
        "",
        f"<sub>Measured with {provenance_line(main)}.</sub>",
        "",
        "**Cost.** " + fit["title"] + ".",
        "",
        markdown_table(speed, "fit_time"),
        "",
        f"<sub>Measured with {provenance_line(speed)}.</sub>",
    ]
    return "\n".join(parts)


BEGIN = "<!-- results: rendered by `python benchmarks/render_results.py`; do not edit -->"
END = "<!-- end of results -->"


def replace_block(text, block):
    """Return ``text`` with the part between ``BEGIN`` and ``END`` replaced by ``block``."""
    start = text.index(BEGIN) + len(BEGIN)
    stop = text.index(END)
    return text[:start] + "\n" + block + "\n" + text[stop:]


def current_block(text):
    """Return the part of ``text`` between ``BEGIN`` and ``END``."""
    return text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip("\n")


# Figures (matplotlib)


def _pyplot():
    """Return matplotlib's pyplot on the file-only Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def figure_peers(data, path):
    """ActiveGAN against the over-samplers: mean over sets, error bars over seeds, dots per set."""
    plt = _pyplot()

    means, sets = imbalanced_seed_means(data)
    per_set = _per_set_means(data)
    samplers = list(means)
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.45 * len(samplers) + 1.5), sharey=True)
    for ax, metric in zip(axes, ("balanced accuracy", "macro-F1"), strict=True):
        for i, sampler in enumerate(samplers):
            dots = [per_set[sampler, metric, s] for s in sets]
            ax.scatter(dots, [i] * len(dots), s=8, alpha=0.25, color="grey", lw=0)
            values = means[sampler][metric]
            colour = "C3" if "GAN" in sampler else "C0"
            ax.errorbar(_mean(values), i, xerr=_std(values), fmt="o", color=colour, capsize=4, ms=6)
        ax.set_xlabel(f"{metric} (%)")
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(range(len(samplers)), samplers)
    axes[0].invert_yaxis()
    fig.suptitle(
        f"Mean over {len(sets)} sets (marker; bars: ± std over seeds), each set (grey dots)",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _per_set_means(data):
    """Each sampler's mean score per data set, over folds and seeds."""
    cells, _, _ = _fold_scores(data)
    pooled = defaultdict(list)
    for (sampler, metric, _seed, data_set), scores in cells.items():
        pooled[sampler, metric, data_set].extend(scores)
    return {k: _mean(v) for k, v in pooled.items()}


def figure_learning_curves(data, path):
    """Test accuracy against the labeled share, mean ± std over seeds, one line per strategy."""
    plt = _pyplot()

    from skactive.plotting import plot_learning_curve

    runs = defaultdict(lambda: defaultdict(list))
    for r in data["records"]["curves"]:
        runs[r["strategy"]][r["seed"]].append(
            {"n_labeled": 100 * r["labeled_fraction"], "val_score": r["accuracy"]}
        )
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, (name, seeds) in enumerate(runs.items()):
        style = "--" if i >= 10 else "-"
        plot_learning_curve({name: list(seeds.values())}, ax=ax, marker=".", ls=style)
    ax.set_xlabel("labeled share of the pool (%)")
    ax.set_ylabel("test accuracy (%)")
    ax.legend(fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def figure_scaling(data, path):
    """Seconds and peak memory of ``fit_resample`` against the number of rows, log-log."""
    plt = _pyplot()

    cells = [c for c in data["records"]["cells"] if "seconds" in c]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for sampler in dict.fromkeys(c["sampler"] for c in cells):
        mine = sorted((c for c in cells if c["sampler"] == sampler), key=lambda c: c["rows"])
        rows = [c["rows"] for c in mine]
        axes[0].plot(rows, [max(c["seconds"], 1e-3) for c in mine], marker="o", label=sampler)
        axes[1].plot(rows, [c["peak_mib"] for c in mine], marker="o", label=sampler)
    axes[0].set_ylabel("seconds per fit_resample")
    axes[1].set_ylabel("peak memory of the process (MiB)")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("rows")
        ax.grid(alpha=0.3)
    axes[0].set_yscale("log")
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


FIGURES = {
    "peers": figure_peers,
    "learning-curves": figure_learning_curves,
    "scaling": figure_scaling,
}


# Comparing a rerun with the published results


def _is_timing(key):
    return "second" in key or "time" in key


def compare_runs(new, old):
    """Return ``(header, rows)``: for each measured row, how far a rerun is from the results.

    Rows are matched on their non-float fields (method, size, seed, ...);
    every float field but timings is a score. Per row (seeds pooled) and
    score: the largest absolute difference, ``0`` meaning bit-identical.
    """
    out = {}
    for key, old_rows in old["records"].items():
        new_rows = new["records"].get(key)
        if not new_rows:
            continue

        def ident(r):
            return tuple((k, v) for k, v in r.items() if not isinstance(v, float) and v is not None)

        new_by = {ident(r): r for r in new_rows}
        for r in old_rows:
            match = new_by.get(ident(r))
            if match is None:
                continue
            group = ", ".join(str(v) for k, v in ident(r) if k not in ("seed", "repeat"))
            for field, value in r.items():
                if isinstance(value, float) and not _is_timing(field):
                    other = match.get(field)
                    diff = abs(other - value) if isinstance(other, float) else float("inf")
                    out[group, field] = max(out.get((group, field), 0.0), diff)
    rows = [
        [group, field, "identical" if d == 0 else f"{d:.2f}"] for (group, field), d in out.items()
    ]
    return ["row", "score", "largest difference"], rows
