# The two commands: `make start` and `make test` (README.md). Both install
# what is missing (scripts/bootstrap), build, then run.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# Debian's Emscripten optimizer needs Node to find its packages here.
export NODE_PATH := /usr/share/nodejs

NODE_TESTS := tests/wasm tests/cli tests/api tests/e2e tests/bench
# The API suites that start a host: run again, unchanged, against the Workers host.
HOST_SUITES := $(shell grep -l startHost tests/api/*.test.mjs)

.PHONY: help start start-workers test build bootstrap deps native native-debug native-tsan wasm wasi web profile \
        test-native test-sanitized test-threads test-node test-workers bench fuzz clean distclean

help:
	@echo "make start   install what is missing, build, run the API + demo page on 127.0.0.1:\$${PORT:-8787}"
	@echo "make start-workers  the same API on the Workers host (workerd through Miniflare)"
	@echo "make test    install what is missing, build, run every test suite"
	@echo "make build   build the three targets (native, wasm, wasi)"
	@echo "make profile take the native build's profile again (profile-guided optimization), then build it"
	@echo "make fuzz    run each libFuzzer target for FUZZ_SECONDS (default 60)"
	@echo "make bench   Sluice against DuckDB, PapaParse and duckdb-wasm (bench/results/latest.md; SCALING=1 for 10k-5M)"

start: build
	@node edge/hosts/node/server.mjs

start-workers: build
	@node edge/hosts/workers/dev.mjs

test: build
	@$(MAKE) --no-print-directory test-native test-sanitized test-threads test-node test-workers

build: bootstrap
	@$(MAKE) --no-print-directory native wasm wasi web

# The hook sandbox bundled for pages served as plain files (build/web/).
web:
	@node scripts/bundle-web.mjs

bootstrap:
	@scripts/bootstrap

deps:
	@scripts/fetch-third-party

# One CMake project, three presets; configure once, then Ninja rebuilds only
# what changed. The native build is profile-guided: its profile is taken
# first when there is none (scripts/train-profile); `make profile` takes it
# again.
native: build/profile/trained
native native-debug native-tsan wasm wasi:
	@test -f build/$@/build.ninja || cmake --preset $@ >/dev/null
	@cmake --build --preset $@

build/profile/trained:
	@scripts/train-profile

profile:
	@scripts/train-profile
	@$(MAKE) --no-print-directory native

test-native:
	@ctest --preset native

# The GoogleTest suites again under AddressSanitizer and UBSan (any report fails).
test-sanitized: native-debug
	@ctest --preset native-debug

# The worker threads' suites (ImportPassesThreadsTest, ReadAheadThreadsTest)
# under ThreadSanitizer: a data race between an import's threads fails it.
test-threads: native-tsan
	@ctest --preset native-tsan

test-node:
	@node --test --test-reporter=spec $(NODE_TESTS)

test-workers:
	@SLUICE_TEST_HOST=workers node --test --test-reporter=spec $(HOST_SUITES)

# Sluice against its peers (bench/run.mjs; the peers are installed apart, in
# bench/peers/); writes bench/results/latest.md. SCALING=1 adds the 10k-5M series.
bench: build
	@cd bench/peers && { [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; }
	@node bench/run.mjs $(if $(SCALING),--scaling)

fuzz: bootstrap
	@scripts/fuzz

clean:
	rm -rf build wasm/dist

distclean: clean
	rm -rf third_party node_modules .sluice-data
