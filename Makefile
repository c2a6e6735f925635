# zhidu - build, test, fuzz and benchmark.
#   make          build/zhidu (strict warnings)
#   make asan     build/asan/zhidu with AddressSanitizer + UBSan
#   make tsan     build/tsan/zhidu with ThreadSanitizer (for run --jobs: bash tests/jobs.sh build/tsan/zhidu)
#   make test     the whole suite (unit + file-driven) under the sanitizers
#   make demo     the main job on the bundled example
#   make fuzz     libFuzzer targets (clang), see docs/reliability.md; `make asan`
#                 builds them with gcc and a plain main too (tests/fuzz_smoke.sh)
# Missing Debian packages are installed by scripts/install-deps.sh.

BUILD   ?= build
CC      ?= gcc
ifeq ($(origin CC),default)
CC      := gcc
endif
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Werror
OPT     ?= -O2 -g
SANFLAGS ?=
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(SANFLAGS) -I$(BUILD)/gen -Icompiler -Iruntime $(EXTRA_CFLAGS)
LDLIBS  := -lsqlite3 -lcsv -lm -pthread
# the language server (cli/lsp*.c) speaks JSON: only the zhidu binary links jansson
LSP_LIBS := -ljansson

GEN      := $(BUILD)/gen
COMPILER_SRC := $(wildcard compiler/*.c)
RUNTIME_SRC  := $(wildcard runtime/*.c)
CLI_SRC      := $(wildcard cli/*.c)
COMPILER_OBJ := $(COMPILER_SRC:%.c=$(BUILD)/%.o) $(GEN)/lexer.o $(GEN)/parser.o
RUNTIME_OBJ  := $(RUNTIME_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ      := $(CLI_SRC:%.c=$(BUILD)/%.o)

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all asan tsan test demo fuzz fuzz-bins bench clean deps
all: $(BUILD)/zhidu $(BUILD)/examples/embed

# Install missing packages once per build directory (no-op when present).
$(DEPS_STAMP):
	@bash scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_STAMP)

$(GEN)/parser.c $(GEN)/parser.h &: compiler/parser.y | $(DEPS_STAMP)
	@mkdir -p $(GEN)
	bison -Wall -Werror --defines=$(GEN)/parser.h -o $(GEN)/parser.c $<

$(GEN)/lexer.c: compiler/lexer.l $(GEN)/parser.h | $(DEPS_STAMP)
	@mkdir -p $(GEN)
	flex -o $@ $<

$(GEN)/lexer.o: $(GEN)/lexer.c
	$(CC) $(CFLAGS_ALL) -Wno-unused-function -MMD -MP -c -o $@ $<

# bison's default location initializer omits our byte-offset fields (they start at 0)
$(GEN)/parser.o: $(GEN)/parser.c
	$(CC) $(CFLAGS_ALL) -Wno-missing-field-initializers -MMD -MP -c -o $@ $<

# the HTML report's stylesheet and script, as C strings
$(GEN)/report_html_assets.h: runtime/report_html.css runtime/report_html.js scripts/embed-text.sh
	@mkdir -p $(GEN)
	sh scripts/embed-text.sh $@ report_css=runtime/report_html.css report_js=runtime/report_html.js
$(BUILD)/runtime/report_html.o: $(GEN)/report_html_assets.h

$(BUILD)/%.o: %.c $(GEN)/parser.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/libzdcompiler.a: $(COMPILER_OBJ)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/libzdruntime.a: $(RUNTIME_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/zhidu: $(CLI_OBJ) $(BUILD)/libzdcompiler.a $(BUILD)/libzdruntime.a
	$(CC) $(SANFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libzdcompiler.a $(BUILD)/libzdruntime.a $(LDLIBS) $(LSP_LIBS)

# the embedding example links the runtime library only: no compiler inside
$(BUILD)/examples/embed: examples/embed/embed.c $(BUILD)/libzdruntime.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libzdruntime.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libzdcompiler.a $(BUILD)/libzdruntime.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(BUILD)/libzdcompiler.a $(BUILD)/libzdruntime.a $(LDLIBS) -lcmocka

# the out-of-memory test alone fails allocations on demand, through the
# linker's --wrap (a seam only tests use; tests/unit/test_oom.c)
$(BUILD)/tests/test_oom: tests/unit/test_oom.c $(BUILD)/libzdcompiler.a $(BUILD)/libzdruntime.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(BUILD)/libzdcompiler.a $(BUILD)/libzdruntime.a $(LDLIBS) -lcmocka \
	  -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup

unit-bins: $(UNIT_BIN)

# the fuzz targets with a plain main (fuzz/standalone.c) instead of libFuzzer:
# built with the suite's compiler and run over their seeds by tests/fuzz_smoke.sh
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz-standalone/%)
$(BUILD)/fuzz-standalone/%: fuzz/%.c fuzz/standalone.c fuzz/fuzz_common.h $(BUILD)/libzdcompiler.a $(BUILD)/libzdruntime.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DFUZZ_ROOT='"$(CURDIR)"' -o $@ $< fuzz/standalone.c $(BUILD)/libzdcompiler.a $(BUILD)/libzdruntime.a $(LDLIBS)

fuzz-bins: $(FUZZ_BIN)

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	  SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  build/asan/zhidu build/asan/examples/embed unit-bins fuzz-bins

# gcc 12 at -O1 with -fsanitize=thread sees a maybe-uninitialized that is not (runtime/verify.c)
tsan:
	@$(MAKE) --no-print-directory BUILD=build/tsan OPT="-O1 -g" SANFLAGS="-fsanitize=thread" \
	  EXTRA_CFLAGS=-Wno-maybe-uninitialized build/tsan/zhidu

test: asan
	@bash tests/run.sh build/asan

# the main job on the bundled example: violations are listed, and are not an error here
demo: all
	./$(BUILD)/zhidu check rules/gxnu.zd rules/units/wenxueyuan.zd rules/units/waiguoyu.zd
	./$(BUILD)/zhidu run rules/gxnu.zd examples/gxnu --fail-on never

fuzz:
	@bash fuzz/build.sh

bench: all
	@bash bench/run.sh

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
