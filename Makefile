# Barkeep: one entry point. `make dev` runs the product locally; `make test` runs every suite.
# Both install what is missing first (uv, then the locked workspace).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN := $(UV) run --frozen
SERVICES := $(patsubst services/%/app.py,%,$(wildcard services/*/app.py))
SERVICE_CHOICES := $(subst $(eval) ,|,$(SERVICES))
PYTEST_WORKERS ?= 2
SERVICE ?=
ARCH ?= arm64

WEB_SOURCES := $(shell find web/src web/public web/sw -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
# Two stacks started at once from one checkout must not run npm ci or vite build over each other.
WEB_LOCK := $(shell command -v flock >/dev/null 2>&1 && echo "flock web/.build.lock")

.PHONY: help install web dev party backup restore dev-reset test test-one test-shared test-services test-repo test-web test-e2e \
        browser docs lint bench rotate-keys package deploy deploy-platform deploy-web preview destroy rollback redrive create-admin clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

install: ## Install uv (if missing) and the locked Python workspace
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || \
		{ echo "Installing uv (Python package manager)…"; $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv; }
	@$(UV) sync --all-packages --locked --quiet

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "The web app needs Node.js 20+ and npm (https://nodejs.org/)."; exit 1; }
	$(WEB_LOCK) sh -c 'cd web && npm ci --no-audit --no-fund --loglevel=error'
	@touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	$(WEB_LOCK) sh -c 'cd web && npm run build --silent'

web: web/dist/index.html ## Build the web app (npm ci from the lockfile, then vite build) when its sources changed

browser: ## Install Debian's chromium for the browser tests when it is missing
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

dev: install web ## Run the whole product locally on http://localhost:8080 (BARKEEP_PORT changes it)
	@$(RUN) python -m devstack

party: install web ## The whole product for phones on the local network: HTTPS on this machine's LAN address (BARKEEP_HOST, BARKEEP_HTTPS=0); needs BARKEEP_ADMIN_PASSWORD
	@$(RUN) python -m devstack party

backup: install ## Save the local stack's data (stopped) to a .tar.gz: make backup [FILE=night.tar.gz]
	@$(RUN) python -m devstack backup $(FILE)

restore: install ## Bring a backup back (the current data is moved aside): make restore FILE=night.tar.gz
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=<backup .tar.gz from make backup>"; exit 2; }
	@$(RUN) python -m devstack restore $(FILE)

dev-reset: install ## Wipe the local stack's data (database, moto state)
	@$(RUN) python -m devstack reset

ifdef SERVICE
test: install test-one ## Lint, then every test suite (SERVICE=orders: that service's tests and its stack's only)
else
test: install lint test-web test-shared test-services test-packager test-infra test-repo test-e2e
endif

test-one: install ## A team's loop: one service's tests and its stack's tests (make test SERVICE=orders)
	@test -d services/$(SERVICE) || { echo "unknown SERVICE $(SERVICE): use one of $(SERVICES)"; exit 2; }
	cd services/$(SERVICE) && $(RUN) pytest -q -n $(PYTEST_WORKERS) --dist loadgroup -p no:cacheprovider
	cd infra && BARKEEP_SERVICE_UNDER_TEST=$(SERVICE) $(RUN) pytest -q -p no:cacheprovider tests/test_services.py tests/test_policies.py

test-shared: install ## The shared library's tests (real PostgreSQL)
	cd shared && $(RUN) pytest -q -n $(PYTEST_WORKERS) -p no:cacheprovider

test-services: install ## Each service's unit, functional and integration tests, one service at a time
	@set -e; for svc in $(SERVICES); do \
		echo "== services/$$svc"; \
		( cd services/$$svc && $(RUN) pytest -q -n $(PYTEST_WORKERS) --dist loadgroup -p no:cacheprovider ); \
	done

test-packager: install ## Every service's Lambda artifact: built, checked, and run in Python 3.13
	cd packager && $(RUN) pytest -q -p no:cacheprovider

test-infra: install ## The Pulumi program under mocks (platform and every service stack), its policies, make deploy's steps
	cd infra && $(RUN) pytest -q -p no:cacheprovider

test-repo: install ## Cross-service tests (DSQL compatibility) and the local stack's own tests
	$(RUN) pytest -q -p no:cacheprovider tests devstack/tests --ignore=tests/e2e

test-web: web ## The web app's type check and Vitest unit/component tests
	cd web && npx tsc -b && npx vitest run

test-e2e: install web browser ## The web app in Debian's chromium against a running local stack (Playwright)
	BARKEEP_CHROMIUM=$(CHROMIUM) $(RUN) pytest -q -p no:cacheprovider tests/e2e

docs: install ## Regenerate docs/reference from the code (a test fails when it drifts)
	@$(RUN) python -m devstack reference

lint: install ## ruff (lint + format check) and mypy (strict)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy -p barkeep
	@set -e; for svc in $(SERVICES); do \
		( cd services/$$svc && $(RUN) mypy --config-file ../../pyproject.toml app.py chalicelib ); \
	done
	$(RUN) mypy devstack/devstack
	cd packager && $(RUN) mypy --config-file ../pyproject.toml packager
	cd infra && $(RUN) mypy --config-file ../pyproject.toml barkeep_infra

rotate-keys: install ## Rotate identity's guest-token signing keys: the running `make dev` stack, or STAGE=<stage> in AWS
	@$(RUN) python -m devstack rotate-keys $(if $(STAGE),--stage $(STAGE))

bench: install ## Benchmarks; writes bench/results/*.json and a chart
	$(RUN) python -m bench

package: install ## A Lambda artifact in dist/<service>/: make package SERVICE=menu [ARCH=arm64|x86_64]
	@test -n "$(SERVICE)" || { echo "Usage: make package SERVICE=<$(SERVICE_CHOICES)|realtime> [ARCH=arm64|x86_64]"; exit 2; }
	@$(RUN) python -m packager build $(SERVICE) --arch $(ARCH) $(if $(filter 0,$(CHECK)),--no-check)

deploy: install ## Deploy one service to AWS: make deploy SERVICE=orders [STAGE=dev]
	@test -n "$(SERVICE)" || { echo "Usage: make deploy SERVICE=<$(SERVICE_CHOICES)> [STAGE=dev]"; exit 2; }
	@$(RUN) python -m barkeep_infra.deploy deploy $(SERVICE) --stage $(or $(STAGE),dev)

deploy-platform: install ## The stage's shared platform, deployed before any service: make deploy-platform [STAGE=dev]
	@$(RUN) python -m barkeep_infra.deploy deploy-platform --stage $(or $(STAGE),dev)

deploy-web: install web ## The web app in AWS, one origin in front of every service: make deploy-web [STAGE=dev]
	@$(RUN) python -m barkeep_infra.deploy deploy-web --stage $(or $(STAGE),dev)

preview: install ## What a deploy would change, checked by the policy pack: make preview SERVICE=<service|platform> [STAGE=dev]
	@test -n "$(SERVICE)" || { echo "Usage: make preview SERVICE=<$(SERVICE_CHOICES)|platform> [STAGE=dev]"; exit 2; }
	@$(RUN) python -m barkeep_infra.deploy preview $(SERVICE) --stage $(or $(STAGE),dev)

destroy: install ## Tear one stack down: make destroy SERVICE=<service|platform|web> [STAGE=dev] (not dev: CONFIRM=<stack>)
	@test -n "$(SERVICE)" || { echo "Usage: make destroy SERVICE=<$(SERVICE_CHOICES)|platform|web> [STAGE=dev] [CONFIRM=<stack>]"; exit 2; }
	@$(RUN) python -m barkeep_infra.deploy destroy $(SERVICE) --stage $(or $(STAGE),dev) $(if $(CONFIRM),--confirm $(CONFIRM))

rollback: install ## Redeploy the artifact an earlier commit deployed, without rebuilding: make rollback SERVICE=orders TO=<commit> [STAGE=dev]
	@test -n "$(SERVICE)" -a -n "$(TO)" || { echo "Usage: make rollback SERVICE=<$(SERVICE_CHOICES)> TO=<commit> [STAGE=dev]"; exit 2; }
	@$(RUN) python -m barkeep_infra.deploy rollback $(SERVICE) --to $(TO) --stage $(or $(STAGE),dev)

redrive: install ## Move a service's dead letters back to their queue after a fix: make redrive SERVICE=ai [STAGE=dev]
	@test -n "$(SERVICE)" || { echo "Usage: make redrive SERVICE=<$(SERVICE_CHOICES)> [STAGE=dev]"; exit 2; }
	@$(RUN) python -m barkeep_infra.deploy redrive $(SERVICE) --stage $(or $(STAGE),dev)

create-admin: install ## The first bartender of a stage: make create-admin EMAIL=you@bar.example [STAGE=dev]
	@test -n "$(EMAIL)" || { echo "Usage: make create-admin EMAIL=<email> [STAGE=dev]"; exit 2; }
	@$(RUN) python -m barkeep_infra.deploy create-admin $(EMAIL) --stage $(or $(STAGE),dev)

clean: ## Remove caches (not the local stack's data: see dev-reset)
	rm -rf .pytest_cache .mypy_cache .ruff_cache bench/results web/dist tests/e2e/artifacts dist
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
