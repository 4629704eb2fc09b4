# hookctl — build, test and generate.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -s -w -X github.com/hookctl/hookctl/internal/buildinfo.Version=$(VERSION) -X github.com/hookctl/hookctl/internal/buildinfo.Commit=$(COMMIT)
BIN      := bin/hookctl

.PHONY: build test vet fmt-check fuzz completions docs demo bench clean reliability

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

## test: everything CI checks — formatting, vet, unit, conformance, end-to-end, brief fuzzing.
test: fmt-check vet
	$(GO) test -count=1 ./...
	$(MAKE) --no-print-directory fuzz FUZZTIME=4s

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

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
