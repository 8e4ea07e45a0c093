# Every target sets itself up: system packages (as root) and the virtualenv.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
RAW ?= data/raw
OUT ?= data/structured
WORKERS ?=
ARGS ?=

.PHONY: setup extract test test-fast bench eval model samples contract lab clean help

help:  ## list targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup:  ## install system packages (root) and the virtualenv
	@VENV=$(VENV) scripts/bootstrap.sh

extract: setup  ## run the pipeline: make extract RAW=dir OUT=dir
	$(PY) -m pipeline extract $(RAW) --out $(OUT) $(if $(WORKERS),--workers $(WORKERS)) $(ARGS)

test: setup  ## run the whole test suite (CI runs this)
	$(PY) -m pytest $(ARGS)

test-fast: setup  ## the tests not marked slow (whole runs, clusters, notebooks): under a minute
	$(PY) -m pytest -m "not slow" $(ARGS)

bench: setup  ## accuracy and speed: OCR, diacritics restoration, pipeline ratios, table cells, layout variety, real documents, a corpus of hundreds (~50 min)
	$(PY) -m bench.ocr_cer $(ARGS)
	$(PY) -m bench.restore_accuracy
	$(PY) -m bench.bac_son
	$(PY) -m bench.pipeline_speed
	$(PY) -m bench.table_cells
	$(PY) -m bench.layouts
	$(PY) -m bench.real_documents
	$(PY) -m bench.corpus
	$(PY) -m bench.corpus --docs 50 --workers 2 --executor dask

SHARED ?= ../shared
need-shared = @test -d $(SHARED)/$(1) || { echo "make $@ needs $(SHARED)/$(1) ($(2)), which is not on this machine"; exit 2; }

eval: setup  ## score data/structured/ against ../shared/gold/ (run make extract first)
	$(call need-shared,gold,the reference extractions)
	$(PY) -m pipeline.evaluate --structured $(OUT)

model: setup  ## retrain the diacritics restorer (OCR channel pairs, then the language model)
	$(call need-shared,corpus,the training text)
	$(PY) scripts/make_ocr_pairs.py
	$(PY) scripts/train_restorer.py

samples: setup  ## re-render the bundled sample PDFs from ../shared/seeds
	$(call need-shared,seeds,the seed texts)
	$(PY) scripts/make_samples.py $(ARGS)

contract: setup  ## rewrite the generated half of docs/contract.md from pipeline/output/schema.py
	$(PY) -c 'import re, pathlib; from pipeline.output.schema import contract_tables_markdown as m; p = pathlib.Path("docs/contract.md"); t = p.read_text("utf-8"); i = t.index("## Every table and column written"); p.write_text(t[:i] + m() + "\n", "utf-8")'

lab: setup  ## open the notebooks in JupyterLab (installs it once): make lab ARGS="--no-browser --ip 0.0.0.0"
	@$(VENV)/bin/jupyter-lab --version >/dev/null 2>&1 || $(PY) -m pip install -q -e '.[dev,lab]'
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

clean:  ## remove outputs and caches (not corrections)
	rm -rf $(OUT)/*.csv $(OUT)/text $(OUT)/datapackage.json data/cache
