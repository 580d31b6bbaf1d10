# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench clean screenshots installer stress

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/qmsr-ready gui

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	@# With a PostgreSQL server for tests (.ci/run starts one), the backend-neutral tests
	@# (marked `server`) run again against it: README, Server workspaces.
	@if [ -n "$$QMSR_TEST_DATABASE_URL" ]; then \
		QMSR_TEST_BACKEND=postgresql QT_QPA_PLATFORM=offscreen \
			$(BIN)/python -m pytest -q -p no:cacheprovider -m server; \
	fi
	$(BIN)/ruff check qmsr_ready tests bench scripts
	$(BIN)/mypy  # [tool.mypy] in pyproject.toml: strict for core, default elsewhere
	$(BIN)/lint-imports --no-cache  # layering contracts in .importlinter

test-fast: $(STAMP)  # the suite without the slow subprocess tests (marked `slow`): minutes less
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow"
	$(BIN)/ruff check qmsr_ready tests bench scripts

lint: $(STAMP)
	$(BIN)/ruff check qmsr_ready tests bench scripts

stress: $(STAMP)  # the crash test with many more SIGKILL rounds (QMSR_CRASH_ROUNDS)
	QMSR_CRASH_ROUNDS=$${QMSR_CRASH_ROUNDS:-60} QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/integration/test_robust_crash.py

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run_all.py

# The one-folder desktop bundle (dist/qmsr-ready/) from the committed spec; PyInstaller comes
# from PyPI through the `installer` extra. installer/README.md says what it holds and why.
INSTALLER_STAMP := $(VENV)/.installer-installed
$(INSTALLER_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,installer]'
	touch $(INSTALLER_STAMP)

installer: $(INSTALLER_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installer/qmsr-ready.spec
	@# On Linux, also the archive the README tells people to unpack.
	@if [ "$$(uname -s)" = Linux ]; then \
		version=$$($(BIN)/python -c 'import qmsr_ready; print(qmsr_ready.__version__)'); \
		tar -C dist -I 'gzip -1' -cf "dist/qmsr-ready-$$version-linux.tar.gz" qmsr-ready && \
		echo "dist/qmsr-ready-$$version-linux.tar.gz"; \
	fi

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/make_screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
