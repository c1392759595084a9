# Thin wrapper around CMake and ctest: the two commands of README.md.
#   make demo   install what is missing, build (Release), render samples/ into out/
#   make test   install what is missing, build with ASan+UBSan, run every test
# Other targets: deps, build, bench, fuzz, format, clean.
BUILD      ?= build
BUILD_TEST ?= build-test
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS  += --no-print-directory
TEGAMI      = $(BUILD)/engine/tegami

.PHONY: all deps build demo test bench fuzz format clean

all: build

deps:
	@.ci/setup

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: build
	@$(TEGAMI) run samples/job.yaml -o out --force --png

test: deps
	@cmake -S . -B $(BUILD_TEST) -DCMAKE_BUILD_TYPE=Debug -DTG_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_TEST) -j$(JOBS)
	@cd $(BUILD_TEST) && ctest --output-on-failure -j$(JOBS)

bench: build
	@bench/run.sh $(TEGAMI)

format:
	@clang-format -i $$(git ls-files 'engine/*.c' 'engine/*.h' 'tests/*.c')

clean:
	rm -rf $(BUILD) $(BUILD_TEST) out
