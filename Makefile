# Two entry points (see README.md): `make main` and `make test`.
# Both create .venv on first use and install skactive with the pinned CPU torch.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.skactive-installed
# Where pip looks for torch. Empty: pip's configured index (PyPI, or this
# machine's local wheel). Elsewhere, PyTorch's indexes pick the build, e.g.
#   make test TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu    (CPU-only)
#   make test TORCH_INDEX_URL=https://download.pytorch.org/whl/cu128  (a CUDA build)
# Run `make clean` first when .venv exists; `make torch-info` shows what is installed.
TORCH_INDEX_URL ?=
TORCH_INDEX := $(if $(TORCH_INDEX_URL),--index-url $(TORCH_INDEX_URL),)

.PHONY: install main test unit bench-smoke lint bench docs clean torch-info dist wheel-smoke

$(STAMP): pyproject.toml requirements/cpu.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c requirements/cpu.txt $(TORCH_INDEX) torch==2.13.0
	$(PY) -m pip install --quiet -c requirements/cpu.txt -e ".[dev,plot,dask,docs]"
	touch $(STAMP)

install: $(STAMP)  ## only set up .venv (skactive editable, with the dev, plot, dask and docs extras)

main: $(STAMP)  ## the paper's SVM evaluation on digits (Table 1 rows), a few minutes on 2 cores
	$(PY) benchmarks/svm_evaluation.py --results build/svm_evaluation.json
	$(PY) benchmarks/render_results.py --compare build/svm_evaluation.json benchmarks/results/svm_evaluation.json

test: lint unit bench-smoke  ## lint + the unit suite + the benchmarks' --quick runs

unit: $(STAMP)  ## the whole unit suite with docstring examples (plain `pytest` skips the slow marks)
	$(PY) -m pytest -m "slow or not slow"

bench-smoke: $(STAMP)  ## each benchmark's --quick mode, in a pytest process of its own
	$(PY) -m pytest benchmarks/smoke

lint: $(STAMP)
	$(PY) -m ruff check skactive tests benchmarks examples
	$(PY) -m ruff format --check skactive tests benchmarks examples

bench: $(STAMP)  ## speed benchmarks and the active-learning table (not part of the tests)
	$(PY) -m pip install --quiet --no-deps modAL-python==0.4.2.1 scikit-activeml==1.0.1 makefun==1.16.0  # benchmark-only peers
	$(PY) benchmarks/bench_activegan_speed.py
	$(PY) benchmarks/bench_query_speed.py
	$(PY) benchmarks/active_learning.py

docs: $(STAMP)  ## HTML docs into docs/_build/html (runs the gallery; any warning fails)
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html

torch-info: $(STAMP)  ## which torch build .venv has, and whether it sees a GPU
	$(PY) -c "import torch; print('torch', torch.__version__, '| CUDA build:', torch.version.cuda, '| GPU available:', torch.cuda.is_available())"

dist: $(STAMP)  ## a wheel and an sdist in dist/ (python -m build)
	rm -rf dist
	$(PY) -m build --outdir dist . > /dev/null
	ls dist

# The wheel in a fresh virtualenv outside the source tree: import, fit_resample, a query,
# a learner fit (tests/smoke_installed.py), so packaging mistakes fail CI.
wheel-smoke: dist
	set -e; tmp=$$(mktemp -d); \
	$(PYTHON) -m venv $$tmp/venv; \
	$$tmp/venv/bin/python -m pip install --quiet -c requirements/cpu.txt $(TORCH_INDEX) torch==2.13.0; \
	$$tmp/venv/bin/python -m pip install --quiet -c requirements/cpu.txt dist/*.whl; \
	cd $$tmp && $$tmp/venv/bin/python $(CURDIR)/tests/smoke_installed.py; \
	rm -rf $$tmp

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info dist build
	rm -rf docs/_build docs/generated docs/auto_examples docs/sg_execution_times.rst docs/_generated
