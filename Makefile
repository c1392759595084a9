# Thin wrapper around CMake and ctest: the two commands of README.md.
#   make demo   install what is missing, build (Release), render samples/ into out/
#   make test   install what is missing, build with ASan+UBSan, run every test
# Other targets: deps, build, install, deb, bench, fuzz, format, po, clean.
#   make po     refresh locales/tegami.pot from the sources and merge it into
#               locales/*/tegami.po; says how many messages are left to translate
#               (docs/i18n.md; tests check there are none)
#   make install  build (Release) and install into PREFIX (default /usr/local;
#               PREFIX=$$HOME/.local needs no root); DESTDIR=/stage is honoured
#   make deb    build a Debian package with CPack in build-deb/ (docs/install.md)
#   make format reformats every hand-written C source as .clang-format says
#               (clang-format 14, twice: a few lines settle only on the second pass;
#               tests/style/format.sh checks it in make test).
#   make fuzz   build the libFuzzer targets with clang and run each for FUZZ_SECONDS
#               (default 60; FUZZ_TARGETS="csv job" picks some).  New inputs go to
#               build-fuzz/corpus/<target>, crashes to build-fuzz/crashes/<target>;
#               see docs/reliability.md for turning a crash into a replay case.
BUILD      ?= build
BUILD_TEST ?= build-test
BUILD_FUZZ ?= build-fuzz
BUILD_DEB  ?= build-deb
PREFIX     ?= /usr/local
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS  += --no-print-directory
TEGAMI      = $(BUILD)/engine/tegami

.PHONY: all deps build demo test install deb bench fuzz format po clean

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

install: build
	@DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

deb: deps
	@cmake -S . -B $(BUILD_DEB) -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
	  -DCMAKE_INSTALL_PREFIX=/usr -DTG_DATA_DIR=/usr/share/tegami >/dev/null
	@cmake --build $(BUILD_DEB) -j$(JOBS)
	@cd $(BUILD_DEB) && cpack -G DEB

bench: build
	@bench/run.sh $(TEGAMI)

fuzz: deps
	@.ci/setup .ci/packages-fuzz.txt
	@cmake -S . -B $(BUILD_FUZZ) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DTG_FUZZ=ON >/dev/null
	@cmake --build $(BUILD_FUZZ) -j$(JOBS) --target fuzzers
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(BUILD_FUZZ)/corpus/$$t $(BUILD_FUZZ)/crashes/$$t; \
	  dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  $(BUILD_FUZZ)/tests/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=20 -print_final_stats=1 \
	    $$dict -artifact_prefix=$(BUILD_FUZZ)/crashes/$$t/ \
	    $(BUILD_FUZZ)/corpus/$$t tests/fuzz/$$t || exit 1; \
	done

format:
	@. tests/style/sources.sh && for pass in 1 2; do clang-format -i --style=file $$(style_sources .); done

po:
	@tools/po.sh update

clean:
	rm -rf $(BUILD) $(BUILD_TEST) $(BUILD_FUZZ) $(BUILD_DEB) out
