# The two commands that matter: `make demo` and `make test`.
SWIFT ?= swift
SIM_SEEDS ?= 1000
# The demo's hub backend: sqlite, or postgres (beside a private PostgreSQL 15 server).
HUB ?= sqlite

.PHONY: deps build demo test postgres-test security-test web-test lint soak bench bench-quick clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

## make demo: a hub and three commune replicas as real processes on 127.0.0.1
## (make demo HUB=postgres: the hub on PostgreSQL).
demo: deps
	$(SWIFT) build
	HUB=$(HUB) scripts/demo.sh

## make test: format check, warnings-as-errors build, every test (1,000 simulation seeds) beside a
## private PostgreSQL 15 server (scripts/with-postgres.sh: the hub's sync tests run against both
## backends, and the server is stopped afterwards, also on failure), then the browser tests of the
## dashboard and the office pages.
test: deps
	scripts/lint.sh
	$(SWIFT) build --build-tests -Xswiftc -warnings-as-errors
	SIM_SEEDS=$(SIM_SEEDS) scripts/with-postgres.sh $(SWIFT) test --skip-build -Xswiftc -warnings-as-errors
	SWIFT=$(SWIFT) scripts/security-test.sh
	scripts/web-test.sh

## make web-test: headless Chromium against real hub-server and replica-node processes
## (screenshots in artifacts/screenshots/; DOCS_SCREENSHOTS=1 refreshes Docs/screenshots/).
web-test: deps
	$(SWIFT) build
	scripts/web-test.sh

## make postgres-test: only the suites that use PostgreSQL, beside a private server.
postgres-test: deps
	$(SWIFT) build --build-tests
	scripts/with-postgres.sh $(SWIFT) test --skip-build --filter 'PostgresHubTests|BackendSyncTests'

lint:
	scripts/lint.sh

## make security-test: schemathesis against a live hub, from Docs/openapi.yaml (see Docs/SECURITY.md).
security-test:
	SWIFT=$(SWIFT) scripts/security-test.sh

## make soak: the long profile: 20,000 simulation seeds, then the reliability tests with real
## processes in their long profile (200 crash trials, 50,000 changes over the slow link; see
## Docs/RELIABILITY.md). RELIABILITY_TRIALS, RELIABILITY_SEED and RELIABILITY_REPORT tune it.
soak: deps
	SIM_SEEDS=20000 $(SWIFT) test --filter SimulationTests
	RELIABILITY_PROFILE=soak $(SWIFT) test --filter IntegrationTests

## make bench: every performance figure of Docs/PERFORMANCE.md, each beside its baseline (long:
## a million-row database is built twice). make bench-quick: a small run of each (59 s once
## the release builds are done; 3 min 38 s in a run that built them). Neither is part of make test.
bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --format markdown
	Benchmarks/scripts/write-cost.sh
	Benchmarks/scripts/sync-cost.sh 5000
	Benchmarks/scripts/sync-throughput.sh 100000
	Benchmarks/scripts/sync-throughput.sh 1000000
	Benchmarks/scripts/merge-throughput.sh 100000
	Benchmarks/scripts/incremental-sync.sh 1000000
	Benchmarks/scripts/storage-collect.sh 100000
	Benchmarks/scripts/hub-load.sh 1500 100 64
	Benchmarks/scripts/dashboard-pages.sh 100000 40

bench-quick: deps
	cd Benchmarks && $(SWIFT) package benchmark --target ReplicatedWrite
	Benchmarks/scripts/sync-throughput.sh 10000
	Benchmarks/scripts/merge-throughput.sh 10000
	Benchmarks/scripts/incremental-sync.sh 20000
	Benchmarks/scripts/storage-collect.sh 10000
	Benchmarks/scripts/dashboard-pages.sh 5000 10

clean:
	rm -rf .build demo-run
