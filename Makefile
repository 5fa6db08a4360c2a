# NetAtlas: `make demo` and `make test` do all set-up on a fresh Debian machine.
SWIFT ?= swift
DEMO_OUT ?= demo-out

.PHONY: setup build release test demo bench clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

test: setup
	$(SWIFT) test

demo: release
	$$($(SWIFT) build -c release --show-bin-path)/netatlas demo --out $(DEMO_OUT)

bench: release
	$$($(SWIFT) build -c release --show-bin-path)/netatlas bench --out docs/performance.md

clean:
	rm -rf .build $(DEMO_OUT)
