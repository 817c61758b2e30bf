# The project's commands. `make generate` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := generate

CODEGEN := cargo run -q --release -p authlete-codegen --

.PHONY: spec generate check test fmt fmt-check deny audit msrv prism mock-document update-spec diff diff-overlay clean-spec fuzz bench

## Materialize the pinned OpenAPI document (mirror or download, sha256 verified).
spec:
	@scripts/fetch-spec.sh

## Regenerate generated/ (the `authlete` crate) from the pinned document and spec/overlay.yaml.
generate: spec
	$(CODEGEN) generate

## Drift check: regenerate in memory and diff against generated/; non-zero on any difference.
check: spec
	$(CODEGEN) check

## Format the hand-written code (the three workspaces; emitted files are skipped by their
## `rustfmt::skip`, and the templates are formatted in place, so `make check` still holds).
RUSTFMT_MANIFESTS := Cargo.toml bench/Cargo.toml fuzz/Cargo.toml
# The files copied into generated/ (rustfmt follows their `mod` declarations).
RUSTFMT_SOURCES := generator/template/src/lib.rs generator/template/tests/support/mod.rs $(wildcard spec/crate/examples/*.rs)
fmt:
	@for m in $(RUSTFMT_MANIFESTS); do cargo fmt --manifest-path $$m --all || exit 1; done
	rustfmt $(RUSTFMT_SOURCES)

## Fails when any hand-written file is not rustfmt-clean.
fmt-check:
	@for m in $(RUSTFMT_MANIFESTS); do cargo fmt --manifest-path $$m --all --check || { echo "error: run \`make fmt\`"; exit 1; }; done
	@rustfmt --check $(RUSTFMT_SOURCES) || { echo "error: run \`make fmt\`"; exit 1; }

## Supply chain (CI runs it after `make test`): the dependency graph's licences and bans against
## deny.toml. cargo-deny is built once into target/tools (a few minutes the first time).
DENY := target/tools/bin/cargo-deny
DENY_VERSION := 0.20.2
deny: $(DENY)
	$(DENY) check --hide-inclusion-graph licenses bans

## The minimum supported Rust version (the workspace's rust-version, which every crate and the
## generated crate's template inherit): the SDK and the generator type-checked with that
## toolchain and the committed Cargo.lock (--locked: the lock users get must build on it). The
## toolchain is installed through rustup (minimal profile) when missing; where rustup cannot
## download it, the check says so loudly and is not counted as passed.
MSRV := $(shell sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
msrv:
	@if ! rustup run $(MSRV) rustc --version >/dev/null 2>&1 && ! rustup toolchain install $(MSRV) --profile minimal; then \
	  echo "################################################################################"; \
	  echo "# MSRV NOT VERIFIED: rustup could not install Rust $(MSRV) on this machine."; \
	  echo "################################################################################"; \
	  exit 0; fi; \
	CARGO_TARGET_DIR=target/msrv cargo +$(MSRV) check -q --locked -p authlete -p authlete-codegen && \
	  echo "msrv: authlete and authlete-codegen build on Rust $(MSRV) with the committed lock"

## Known vulnerabilities (RustSec advisories): needs the network, so not part of CI.
audit: $(DENY)
	$(DENY) check --hide-inclusion-graph advisories

$(DENY):
	cargo install --locked --root target/tools cargo-deny --version $(DENY_VERSION)

## Prism, the OpenAPI mock server of the conformance test (pinned in package-lock.json).
prism: node_modules/.bin/prism

node_modules/.bin/prism: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is missing: install Node.js and npm (e.g. apt-get install nodejs npm)"; exit 2; }
	npm ci --no-audit --no-fund
	@touch $@

## The overlaid document Prism serves to the conformance test.
mock-document: spec
	$(CODEGEN) mock-document --out spec/authlete-openapi.mock.json

## Everything CI runs. Its drift check and mock document use the debug build of the generator,
## which the tests build anyway (a release build would compile every dependency a second time).
# `make test` builds the workspace once, through clippy-driver, which lints while it compiles
# (`-D warnings`: rustc's warnings and clippy's lints are errors). A separate `cargo clippy` after
# `cargo test` type-checked every dependency a second time: about 60 s of a fresh run on two
# cores. Every cargo command of the target (and of its prerequisites) runs with the same
# wrapper, so no dependency is rebuilt between them.
CLIPPY_DRIVER := $(shell command -v clippy-driver 2>/dev/null)
test: export RUSTC_WORKSPACE_WRAPPER := $(CLIPPY_DRIVER)
test: export CLIPPY_ARGS := -D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
test: CODEGEN := cargo run -q -p authlete-codegen --
test: spec check prism mock-document fmt-check
	@test -n "$(CLIPPY_DRIVER)" || { echo "error: clippy-driver not found (rustup component add clippy)"; exit 2; }
	# CI=1: a test whose prerequisite is missing fails here instead of skipping (plain
	# `cargo test` skips the conformance test with a loud line when Prism is not installed).
	# cargo-nextest runs the tests of all the binaries side by side (cargo test runs one binary
	# after another, and most of the time of a binary like the corpus's is spent waiting on a
	# nested cargo). The same tests either way; nextest only when it is installed.
	@if cargo nextest --version >/dev/null 2>&1; then \
	  echo "CI=1 cargo nextest run --workspace --all-targets --no-fail-fast"; \
	  CI=1 cargo nextest run --workspace --all-targets --no-fail-fast --hide-progress-bar; \
	else \
	  echo "note: cargo-nextest is not installed: the test binaries run one after another (slower)"; \
	  CI=1 cargo test --workspace --all-targets; \
	fi
	CI=1 cargo test --workspace --doc
	RUSTDOCFLAGS="-D warnings" cargo doc -q -p authlete --no-deps
	# The benchmarks' own workspace, type-checked (its library, binary, benchmarks and examples)
	# so that it keeps compiling against the SDK. Its unit tests and a test-mode run of each
	# benchmark (about two minutes of building on two cores) run in `make bench`.
	cargo clippy -q --manifest-path bench/Cargo.toml --all-targets -- -D warnings
	@if git rev-parse --git-dir >/dev/null 2>&1 && [ -n "$$(git status --porcelain -- generated/)" ]; then \
	  echo "error: generated/ differs from what is committed:"; git status --porcelain -- generated/; exit 1; fi

## Move to another upstream release: make update-spec COMMIT=<sha> [FILE=<local copy>]
update-spec:
	@test -n "$(COMMIT)" || { echo "usage: make update-spec COMMIT=<authlete/openapi commit> [FILE=<local copy>]"; exit 2; }
	scripts/update-spec.sh "$(COMMIT)" $(FILE)

## The SDK changes between two documents: make diff OLD=<file> [NEW=<file>] [OLD_OVERLAY=<file>]
diff: spec
	$(CODEGEN) diff --old "$(OLD)" --new "$(or $(NEW),spec/authlete-openapi.yaml)" $(if $(OLD_OVERLAY),--old-overlay "$(OLD_OVERLAY)")

## What an uncommitted edit of spec/overlay.yaml changes for users: the pinned document with the
## committed overlay against the same document with the edited one.
diff-overlay: spec
	@git show HEAD:spec/overlay.yaml > spec/.overlay.HEAD.yaml
	$(CODEGEN) diff --old spec/authlete-openapi.yaml --old-overlay spec/.overlay.HEAD.yaml --new spec/authlete-openapi.yaml; \
	  status=$$?; rm -f spec/.overlay.HEAD.yaml; exit $$status

## Benchmarks (not in CI; takes about half an hour): generation against progenitor 0.15 and
## openapi-generator, compile cost, runtime overhead. Writes BENCHMARKS.md.
bench: spec
	cargo build -q --release -p authlete-codegen
	@command -v java >/dev/null || { echo "error: java is missing (openapi-generator runs on it)"; exit 2; }
	@test -x bench/.venv/bin/openapi-generator-cli || { python3 -m venv bench/.venv && bench/.venv/bin/pip install -q -r bench/requirements.txt; }
	cd bench && cargo test -q --all-targets
	cd bench && cargo build -q --release --bins && cargo run -q --release --bin bench

## Fuzz the generator (not in CI): make fuzz [FUZZ_SECONDS=300]. Each target runs for
## FUZZ_SECONDS, seeded from every document and overlay under tests/fixtures; crashes land in
## fuzz/artifacts/<target>/. cargo-fuzz needs nightly flags: RUSTC_BOOTSTRAP lets the stable
## toolchain take them.
FUZZ_SECONDS ?= 300
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	scripts/fuzz-seeds.sh
	cd fuzz && for target in document overlay; do \
	  dict=""; [ -f $$target.dict ] && dict="-dict=$$target.dict"; \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none $$target corpus/$$target seeds/$$target -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 $$dict || exit 1; \
	done

clean-spec:
	rm -f spec/authlete-openapi.yaml
