# PackyTrace developer entry points. Every target loops over the workspace
# modules listed in go.work.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

MODULES := $(shell go list -m -f '{{.Dir}}')
ROOT := $(CURDIR)
BIN := $(ROOT)/bin
TOOLBIN := $(ROOT)/.tools
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(TOOLBIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
MKDOCS ?= $(shell command -v /usr/bin/mkdocs || command -v mkdocs || echo mkdocs)

SERVICES := api-gateway passport-service fridge-service measurement-pipeline identity-service \
	personalization-service brand-analytics-service
BINARIES := $(foreach s,$(SERVICES),github.com/packytrace/packytrace/services/$(s)/cmd/$(s)) \
	github.com/packytrace/packytrace/tools/cmd/packytrace-dev

# Tests use this PostgreSQL database; make test creates it when missing.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/packytrace_test?sslmode=disable
export TEST_DATABASE_URL

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

.PHONY: run
run: build ## run the whole platform locally (needs Go and a PostgreSQL server)
	$(BIN)/packytrace-dev -bin $(BIN)

.PHONY: build
build: ## build every service binary and the local stack launcher into bin/
	go build -ldflags "-X main.version=$(VERSION)" -o $(BIN)/ $(BINARIES)

.PHONY: test
test: ## run every test (needs a PostgreSQL server; see TEST_DATABASE_URL)
	go run ./tools/cmd/ensuredb "$(TEST_DATABASE_URL)"
	for m in $(MODULES); do (cd $$m && go test -race -count=1 ./...); done

.PHONY: generate
generate: ## regenerate handlers, clients and queries from the contracts
	for m in $(MODULES); do (cd $$m && go generate ./...); done
	go tool sqlc generate -f sqlc.yaml

.PHONY: verify
verify: generate ## fail on generated-code drift, go mod tidy drift or invalid contracts
	@if [ -n "$$(git status --porcelain --untracked-files=all -- . ':!bin' ':!.tools')" ]; then \
		echo "make verify: the tree differs after make generate (commit the regenerated code):"; \
		git status --porcelain --untracked-files=all; git --no-pager diff --stat; exit 1; fi
	for m in $(MODULES); do (cd $$m && go mod tidy -diff) || { echo "make verify: go mod tidy drift in $$m"; exit 1; }; done
	go run ./tools/cmd/contractcheck -openapi api/openapi -events events/jsonschema

$(GOLANGCI_LINT):
	mkdir -p $(TOOLBIN)
	GOBIN=$(TOOLBIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(TOOLBIN)/golangci-lint $@

.PHONY: lint
lint: $(GOLANGCI_LINT) ## golangci-lint v2 (depguard keeps every core free of adapters)
	for m in $(MODULES); do (cd $$m && $(GOLANGCI_LINT) run --config $(ROOT)/.golangci.yml ./...); done

.PHONY: docs
docs: ## build the MkDocs site strictly into site/
	$(MKDOCS) build --strict --site-dir site

.PHONY: bench
bench: ## run every benchmark (token verification, routing, outbox relay, consumer, Digital Link parsing, resolution, index load)
	go run ./tools/cmd/ensuredb "$(TEST_DATABASE_URL)"
	for m in $(MODULES); do (cd $$m && go test -run '^$$' -bench . -benchmem -count=1 ./...); done

.PHONY: bench-gateway
bench-gateway: build ## gateway overhead: the same load through the gateway and straight to a backend
	BIN=$(BIN) tools/bench/gateway-overhead.sh

.PHONY: bench-import
bench-import: ## catalog import load script: N (default 100,000) Open Food Facts records, first and repeated run
	tools/bench/catalog-import.sh

.PHONY: bench-resolver
bench-resolver: build ## resolver load script: 100,000 anchors, resolver vs a bare 307 server, memory with 1,000,000
	go build -o $(BIN)/ ./tools/cmd/resolverbench
	$(BIN)/resolverbench -bin $(BIN) $(BENCH_ARGS)

.PHONY: clean
clean: ## remove build outputs
	rm -rf $(BIN) site
