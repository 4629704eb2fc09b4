# hookctl — build, test and generate.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -s -w -X github.com/hookctl/hookctl/internal/buildinfo.Version=$(VERSION) -X github.com/hookctl/hookctl/internal/buildinfo.Commit=$(COMMIT)
BIN      := bin/hookctl

.PHONY: build test vet cross fmt-check fuzz completions docs demo bench clean reliability mutation

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

## test: everything CI checks — formatting, vet, unit, conformance, end-to-end, brief fuzzing.
test: fmt-check vet cross
	$(GO) test -count=1 ./...
	$(MAKE) --no-print-directory fuzz FUZZTIME=20000x

vet:
	$(GO) vet ./...

## cross: hookctl and its tests build on macOS and Windows too.
cross:
	GOOS=darwin $(GO) build ./... && GOOS=darwin $(GO) vet ./...
	GOOS=windows $(GO) build ./... && GOOS=windows $(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## FUZZTIME: a count (20000x) in `make test`: a duration races Go 1.26's fuzz coordinator at its
## deadline on a loaded machine ("context deadline exceeded" with no failing input; go.dev/issue/75804).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeWebhook$$' -fuzztime $(FUZZTIME) ./internal/provider/conekta/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeError$$' -fuzztime $(FUZZTIME) ./internal/provider/conekta/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/config/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeConfiguration$$' -fuzztime $(FUZZTIME) ./internal/provider/bankly/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeError$$' -fuzztime $(FUZZTIME) ./internal/provider/bankly/
	$(GO) test -run '^$$' -fuzz '^FuzzHMAC$$' -fuzztime $(FUZZTIME) ./internal/provider/bankly/
	$(GO) test -run '^$$' -fuzz '^FuzzString$$' -fuzztime $(FUZZTIME) ./internal/redact/
	$(GO) test -run '^$$' -fuzz '^FuzzJSONFields$$' -fuzztime $(FUZZTIME) ./internal/redact/
	$(GO) test -run '^$$' -fuzz '^FuzzLine$$' -fuzztime $(FUZZTIME) ./internal/termsafe/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/plan/
	$(GO) test -run '^$$' -fuzz '^FuzzUnmarshal$$' -fuzztime $(FUZZTIME) ./internal/jsonx/
	$(GO) test -run '^$$' -fuzz '^FuzzMarshalIndent$$' -fuzztime $(FUZZTIME) ./internal/jsonx/
	$(GO) test -run '^$$' -fuzz '^FuzzScanner$$' -fuzztime $(FUZZTIME) ./internal/jsonx/
	$(GO) test -run '^$$' -fuzz '^FuzzScanMessagePage$$' -fuzztime $(FUZZTIME) ./internal/provider/bankly/api/
	$(GO) test -run '^$$' -fuzz '^FuzzDeliveryJSON$$' -fuzztime $(FUZZTIME) ./cmd/deliveries/

completions:
	$(GO) run ./internal/gendocs -completions completions

docs:
	$(GO) run ./internal/gendocs -docs docs

demo: build
	$(GO) run ./internal/demo $(BIN)

bench: build
	$(GO) run ./internal/bench $(BIN)

clean:
	rm -rf bin

reliability:
	$(GO) test ./cmd -run 'TestReliability' -count=1 -reliability-report ../docs/reliability.md

## mutation: gremlins on each package against its own tests (minutes; not part of `make test`);
## writes the "Mutation testing" section of docs/reliability.md.
GREMLINS_BIN   ?= $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)/gremlins
MUTATION_PKGS  ?= ./internal/httpx ./internal/redact ./internal/config ./internal/provider/conekta ./internal/provider/bankly
MUTATION_FLAGS ?= -workers 1 -timeout-coefficient 10
mutation:
	$(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
	HOOKCTL_SPECS_DIR=$(abspath ../shared/specs) $(GO) run ./internal/mutation -gremlins $(GREMLINS_BIN) -report docs/reliability.md $(MUTATION_FLAGS) $(MUTATION_PKGS)
