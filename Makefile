# Cairn: the two commands a newcomer needs are `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps deps-test build web run test bench fuzz clean

all: build

deps:
	@scripts/install-deps.sh

# The tests also need Debian's Chromium for the web app's end-to-end tests.
deps-test:
	@CAIRN_WITH_BROWSER=1 scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

web: deps
	@scripts/web.sh build

run: build web
	@scripts/run.sh $(BUILD_DIR)

test: deps-test build
	@scripts/test.sh $(BUILD_DIR)

bench: build
	@scripts/bench.sh $(BUILD_DIR)

fuzz: deps
	@scripts/fuzz.sh

clean:
	rm -rf $(BUILD_DIR) build-fuzz web/dist web/node_modules
