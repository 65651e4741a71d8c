# kapta-mock: build, run, test, benchmark, fuzz and package.
#
# Targets install the Debian packages they need with apt-get when they are missing, using
# sudo only when not running as root.

SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift
# Arguments for `make run`, such as ARGS="--port 0 --log-level debug".
ARGS ?=
# `make fuzz` runs one libFuzzer target for a while: http1, json, xml, config or h2.
FUZZ_TARGET ?= config
FUZZ_SECONDS ?= 60
# `make bench` runs these commands of bench/compare.py, such as BENCH_COMMANDS=startup.
BENCH_COMMANDS ?= startup engine put h2 memory
# The release build lives apart from .build, because the static nghttp2 switch changes the
# package manifest and would otherwise force full rebuilds when going back and forth.
RELEASE_DIR := .build-release
RELEASE_BINARY := $(RELEASE_DIR)/release/kapta-mock
# The Swift runtime needs libstdc++, and the release build links it statically too: ld takes
# the first libstdc++ it finds on the -L path, and this directory holds only the archive.
# The shared library's symbol tables alone kept about 1 MiB resident in an idle server.
STATIC_CXX_DIR := $(CURDIR)/$(RELEASE_DIR)/static-libstdcxx
RELEASE_BUILD := KAPTA_MOCK_STATIC_NGHTTP2=1 $(SWIFT) build -c release --static-swift-stdlib \
	--scratch-path $(RELEASE_DIR) -Xlinker -L$(STATIC_CXX_DIR)

.PHONY: run test test-asan bench fuzz release image-check embed-config deps-build deps-test deps-bench

## Install libnghttp2-dev and pkg-config when missing: the build needs both.
deps-build:
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	[ -e /usr/include/nghttp2/nghttp2.h ] || missing="$$missing libnghttp2-dev"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

## Also the clients the tests drive: curl, nghttp and h2load, and Python's h2 package.
## pip installs h2 for the python3 on PATH; Debian's python3-h2 is the fallback for a system
## Python whose pip refuses to install (PEP 668).
deps-test: deps-build
	@missing=""; \
	command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	command -v nghttp >/dev/null 2>&1 || missing="$$missing nghttp2-client"; \
	command -v h2load >/dev/null 2>&1 || missing="$$missing nghttp2-client"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3 python3-pip"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@python3 -c 'import h2' 2>/dev/null || python3 -m pip install --quiet h2 \
		|| ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends python3-h2)

deps-bench: deps-build
	@missing=""; \
	for tool in wrk nginx h2load taskset; do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	missing=$$(echo "$$missing" | sed 's/nginx/nginx-light/; s/h2load/nghttp2-client/; s/taskset/util-linux/'); \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

## Run the server in the foreground with the built-in configuration on 127.0.0.1:8080.
run: deps-build
	$(SWIFT) run kapta-mock $(ARGS)

## Build everything in debug mode and run the whole test suite.
test: deps-test
	$(SWIFT) build --build-tests
	$(SWIFT) test

## The HTTP/2 suites under AddressSanitizer, leak checks included, in a build folder of their
## own. XCTest is left out because its own allocations show up as leaks.
test-asan: deps-test
	$(SWIFT) test --sanitize=address --disable-xctest --scratch-path .build-asan --filter HTTP2

## bench/compare.py: ours against nginx in the same run (see the comment at its top).
bench: deps-bench $(STATIC_CXX_DIR)/libstdc++.a
	$(RELEASE_BUILD)
	$(RELEASE_DIR)/release/kapta-mock-bench kapta
	@for command in $(BENCH_COMMANDS); do python3 bench/compare.py $$command || exit 1; done

## Fuzz FUZZ_TARGET for FUZZ_SECONDS, seeded from Tests/FuzzCorpus/FUZZ_TARGET.
fuzz: deps-build
	$(SWIFT) build -c release --sanitize=fuzzer --scratch-path .build-fuzz --product kapta-mock-fuzz
	mkdir -p fuzz-corpus-run/$(FUZZ_TARGET)
	SWIFT_BACKTRACE=enable=no KAPTA_FUZZ_TARGET=$(FUZZ_TARGET) .build-fuzz/release/kapta-mock-fuzz \
		-max_total_time=$(FUZZ_SECONDS) fuzz-corpus-run/$(FUZZ_TARGET) Tests/FuzzCorpus/$(FUZZ_TARGET)

## The shipped binary: Swift runtime, libstdc++ and libnghttp2 linked in, so it needs only
## glibc and libgcc at run time. Fails if libnghttp2 or libstdc++ is still a shared library.
release: deps-build $(STATIC_CXX_DIR)/libstdc++.a
	$(RELEASE_BUILD) --product kapta-mock
	@if ldd $(RELEASE_BINARY) | grep -E -q 'libnghttp2|libstdc\+\+'; then \
		echo "$(RELEASE_BINARY) still links a library dynamically that should be static:"; \
		ldd $(RELEASE_BINARY); exit 1; \
	fi
	@echo "built $(RELEASE_BINARY); it needs:"; ldd $(RELEASE_BINARY)

$(STATIC_CXX_DIR)/libstdc++.a:
	@archive=$$(clang -print-file-name=libstdc++.a); \
	if [ "$${archive#/}" = "$$archive" ]; then \
		echo "libstdc++.a not found: install libstdc++-12-dev"; exit 1; \
	fi; \
	mkdir -p $(STATIC_CXX_DIR) && ln -sf "$$archive" $@

## Prove the Dockerfile's runtime stage without Docker: see scripts/check-runtime-image.sh.
image-check: release
	scripts/check-runtime-image.sh $(RELEASE_BINARY)

## Copy Config/kapta-mock.json into the Swift source that embeds it in the binary.
embed-config:
	scripts/embed-default-config.sh
