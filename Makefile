# Make targets: install (creates .venv with Python >= 3.12, and a CJK font for reports), run, test, bench.
# Every target installs what it needs first, so `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@interp=$$(scripts/find_python312.sh) || exit 1; \
	echo "using $$interp"; \
	[ -x $(PY) ] || $$interp -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@scripts/ensure_cjk_font.sh
	@touch $(STAMP)

run: install
	$(PY) run_sim.py

test: install
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/bench_full_scale.py
	$(PY) benchmarks/bench_mc.py

# removes the environment and the outputs git ignores (run folders, batches); committed comparisons and rule
# checks stay
clean:
	rm -rf $(VENV)
	git clean -fdXq outputs/
