# The two commands: `make demo` (build, load the demo county, serve http://127.0.0.1:8080) and
# `make test` (build and run every test). Both install what they need first (scripts/setup.sh).
BUILD ?= build
JOBS ?= 2
DEMO_DB ?= var/demo.db
PORT ?= 8080
# Let a fresh clone in another folder reuse the compiler cache of an earlier build.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all setup configure build web test demo bench format clean

all: build web

setup:
	@scripts/setup.sh

configure: setup
	@test -f $(BUILD)/build.ninja || cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: configure
	cmake --build $(BUILD) -j $(JOBS)

web: setup
	@scripts/build-web.sh

test: build web
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

demo: build web
	@mkdir -p $(dir $(DEMO_DB))
	$(BUILD)/qiangji --db $(DEMO_DB) demo --county 130624 --replace
	$(BUILD)/qiangji --db $(DEMO_DB) serve --host 127.0.0.1 --port $(PORT) --web web/dist

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target benches
	bench/run.sh $(BUILD)

format:
	find src bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) web/dist
