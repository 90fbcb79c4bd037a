# The two commands that matter: `make demo` and `make test`.
SWIFT ?= swift
SIM_SEEDS ?= 2000

.PHONY: deps build demo test lint soak bench bench-quick clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

## make demo: a hub and three commune replicas as real processes on 127.0.0.1.
demo: deps
	$(SWIFT) build
	scripts/demo.sh

## make test: format check, warnings-as-errors build, every test (2,000 simulation seeds).
test: deps
	scripts/lint.sh
	$(SWIFT) build --build-tests -Xswiftc -warnings-as-errors
	SIM_SEEDS=$(SIM_SEEDS) $(SWIFT) test --skip-build -Xswiftc -warnings-as-errors

lint:
	scripts/lint.sh

## make soak: the long profile (20,000 simulation seeds).
soak: deps
	SIM_SEEDS=20000 $(SWIFT) test --filter SimulationTests

bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --format markdown

bench-quick: deps
	cd Benchmarks && $(SWIFT) package benchmark --filter 'ReplicatedWrite.*'

clean:
	rm -rf .build demo-run
