# luagrad: a C host that runs machine-learning experiment scripts written in Lua.
#
#   make            build ./luagrad
#   make run        build, then run every example (CSV and plots under out/)
#   make test       build, then run every test; ends with
#                   "N passed, N failed, N skipped"
#   make sanitize   the tests again under AddressSanitizer + UBSan
#   make fuzz       the libFuzzer harnesses of tests/fuzz/, FUZZ_SECONDS each
#   make valgrind   the tests under valgrind's memcheck (VALGRIND_TESTS: a subset)
#   make bench      the benchmark suite (see bench/README.md)
#   make install PREFIX=/usr/local
#
# Lua 5.4 comes from Debian's liblua5.4-dev, found with pkg-config. When it is
# missing and we run as root on a Debian-like system, it is installed with
# apt-get; otherwise the build stops with the command to run.
#
# The optional programs are installed the same way, as root, by make run
# (gnuplot draws the pictures, Graphviz's dot the autograd graphs) and make
# test (those, and script, setpriv, man and groff for the tests); the
# apt-get output goes to build/tools.log.
# Without them (not root, no apt-get, apt-get failed, or LUAGRAD_NO_INSTALL=1
# given to make or set in the environment) the work goes on: no pictures,
# and the tests that need a missing program are skipped and say why.

LUA_PC   ?= lua5.4
CC       ?= cc
PREFIX   ?= /usr/local
OPT      ?= -O2
CFLAGS   ?= $(OPT)
# Always on. -ffp-contract=off: no fused multiply-add, so results are the same
# on every machine (no -ffast-math either). Opt in to -march=native with
# make NATIVE=1.
WARN     := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes
ALL_CFLAGS = -std=c99 $(WARN) -ffp-contract=off $(if $(NATIVE),-march=native) $(CFLAGS)
# CPPFLAGS and LDLIBS given on the command line add to ours.
ALL_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -Isrc -Ibuild $(READLINE_DEF) $(CPPFLAGS)
ALL_LDLIBS   = $(READLINE_LIB) -lm -lpthread $(LDLIBS)

# Evaluated when a recipe runs, i.e. after build/deps.ok has installed Lua.
LUA_CFLAGS = $(if $(LUA_INCDIR),-I$(LUA_INCDIR),$(shell pkg-config --cflags $(LUA_PC)))
LUA_LIBS   = $(shell pkg-config --libs $(LUA_PC))
# The program links Lua statically when lib$(LUA_PC).a is there (Debian's
# liblua5.4-dev has it): no liblua5.4.so to load and no symbol of it to
# resolve at every start (0.11 M instructions of an empty script's 1.4 M).
# The dynamic list still offers Lua's API to the C modules a script requires
# (lfs.so), and only that (src/host/lua_api.list).
LUA_STATIC    = $(wildcard $(shell pkg-config --variable=libdir $(LUA_PC))/lib$(LUA_PC).a)
LUA_EXPORTS   = -Wl,--dynamic-list=src/host/lua_api.list
LUA_PROG_LIBS = $(if $(LUA_STATIC),$(LUA_EXPORTS) $(LUA_STATIC),$(LUA_LIBS))

# The interactive prompt uses GNU readline when its header is installed. It
# is opened with dlopen when the prompt starts (src/host/repl.c), so a script
# does not pay for loading it.
ifneq ($(wildcard /usr/include/readline/readline.h),)
  READLINE_DEF := -DLUAGRAD_READLINE
  READLINE_LIB := -ldl
endif

BUILD    ?= build
# make V=1 shows the whole compiler command lines.
Q        := $(if $(V),,@)
CORE_SRC := $(sort $(wildcard src/core/*.c))
LIB_SRC  := $(sort $(wildcard src/lib/*.c))
HOST_SRC := $(filter-out src/host/embed.c,$(sort $(wildcard src/host/*.c)))
LUA_SRC  := $(sort $(wildcard lua/luagrad/*.lua))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
APP_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(HOST_SRC:%.c=$(BUILD)/%.o) \
            $(BUILD)/lua_modules.o

.PHONY: all run test sanitize bench install uninstall clean deps run-tools test-tools FORCE
all: luagrad

luagrad: $(BUILD)/luagrad
	@cp $< $@

$(BUILD)/luagrad: $(CORE_OBJ) $(APP_OBJ) $(BUILD)/flags src/host/lua_api.list
	@echo "  LINK  $@"
	$(Q)$(CC) $(LDFLAGS) $(ALL_CFLAGS) -o $@ $(filter %.o,$^) $(LUA_PROG_LIBS) $(ALL_LDLIBS)

# -MMD -MP: each object depends on the headers it includes.
$(BUILD)/%.o: %.c $(BUILD)/deps.ok $(BUILD)/flags
	@mkdir -p $(@D)
	@echo "  CC    $<"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(LUA_CFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# lua/luagrad/*.lua are compiled to Lua bytecode, into the binary.
$(BUILD)/embed: src/host/embed.c $(BUILD)/deps.ok $(BUILD)/flags
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(LUA_CFLAGS) $(ALL_CFLAGS) -o $@ $< $(LUA_LIBS) $(ALL_LDLIBS)
$(BUILD)/lua_modules.c: $(BUILD)/embed $(LUA_SRC) $(BUILD)/lua/luagrad/types.lua
	@echo "  EMBED lua/luagrad/*.lua"
	$(Q)$(BUILD)/embed $(LUA_SRC) $(BUILD)/lua/luagrad/types.lua > $@.tmp && mv $@.tmp $@
# The editor definitions (lua/types/*.lua) as text, for help() at the prompt:
# the module luagrad.types returns { ["tensor.lua"] = "its text", ... }.
$(BUILD)/lua/luagrad/types.lua: $(sort $(wildcard lua/types/*.lua))
	@mkdir -p $(@D)
	$(Q){ echo 'return {'; for f in $^; do \
	  printf '["%s"] = [==========[\n' "$${f##*/}"; cat "$$f"; echo ']==========],'; \
	done; echo '}'; } > $@.tmp && mv $@.tmp $@
$(BUILD)/lua_modules.o: $(BUILD)/lua_modules.c $(BUILD)/flags
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# $(BUILD)/flags holds the compiler and flags of the build. It is rewritten
# only when they change, and everything compiled depends on it: make NATIVE=1
# (or another CC, CFLAGS, OPT, CPPFLAGS, LDFLAGS) after make rebuilds.
FLAGS_NOW = $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) | $(LDFLAGS) | $(ALL_LDLIBS)
$(BUILD)/flags: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','\'',$(FLAGS_NOW))' | cmp -s - $@ || \
	  printf '%s\n' '$(subst ','\'',$(FLAGS_NOW))' > $@
FORCE:

$(BUILD)/deps.ok:
	@mkdir -p $(@D)
	@if ! pkg-config --exists $(LUA_PC) 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "luagrad: installing Lua 5.4 (liblua5.4-dev) with apt-get"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q liblua5.4-dev pkg-config >$(@D)/apt.log 2>&1 || \
	    { apt-get update -q && apt-get install -y -q liblua5.4-dev pkg-config; } >>$(@D)/apt.log 2>&1 || \
	    { cat $(@D)/apt.log; exit 1; }; \
	  else \
	    echo "luagrad needs Lua 5.4: run  sudo apt-get install liblua5.4-dev pkg-config  and then make" >&2; \
	    exit 1; \
	  fi; \
	fi
	@touch $@
deps: $(BUILD)/deps.ok

# ---- optional programs -----------------------------------------------------
# program:Debian package, for make run and for make test.
RUN_TOOLS  := gnuplot:gnuplot-nox dot:graphviz
TEST_TOOLS := $(RUN_TOOLS) script:bsdutils setpriv:util-linux man:man-db groff:groff-base
# The HTML report opened in headless Chromium; the README's GNU parallel recipe.
TEST_TOOLS += chromium:chromium parallel:parallel
# Not installed here: slurm-wlm and munge (tests/test_slurm.lua brings up a
# one-node Slurm with them). They are system daemons, which apt-get enables
# on a machine that runs systemd; .ci/run installs them, and without them
# the test is skipped with the command that installs them.

# $(call install_tools,LIST): installs the packages of the programs of LIST
# missing from PATH, as root with apt-get; never fails. After deps.ok, so two
# apt-get never run at once.
define install_tools
@missing=; for t in $(1); do \
  command -v "$${t%%:*}" >/dev/null 2>&1 || missing="$$missing $${t#*:}"; \
done; \
if [ -z "$$missing" ] || { [ -n "$(LUAGRAD_NO_INSTALL)" ] && [ "$(LUAGRAD_NO_INSTALL)" != 0 ]; }; then exit 0; fi; \
if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
  echo "luagrad: not installed:$$missing (make installs them when run as root)"; exit 0; \
fi; \
echo "luagrad: installing$$missing with apt-get (log: $(BUILD)/tools.log)"; \
export DEBIAN_FRONTEND=noninteractive; \
apt="apt-get -y -q -o DPkg::Lock::Timeout=600"; \
{ $$apt install --no-install-recommends $$missing || \
  { $$apt update && $$apt install --no-install-recommends $$missing; }; } \
  >$(BUILD)/tools.log 2>&1 || \
  echo "luagrad: apt-get failed (see $(BUILD)/tools.log); going on without$$missing"
endef
run-tools: $(BUILD)/deps.ok
	$(call install_tools,$(RUN_TOOLS))
test-tools: $(BUILD)/deps.ok
	$(call install_tools,$(TEST_TOOLS))

# ---- examples --------------------------------------------------------------
run: luagrad run-tools
	./luagrad run examples/*.lua

# ---- tests -----------------------------------------------------------------
$(BUILD)/unit_tests: $(UNIT_SRC) $(CORE_OBJ) tests/unit/unit.h $(BUILD)/flags
	@echo "  LINK  $@"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $(UNIT_SRC) $(CORE_OBJ) $(ALL_LDLIBS)

test: $(BUILD)/luagrad $(BUILD)/unit_tests $(BUILD)/fuzz_replay test-tools
	@sh tests/run.sh $(BUILD)/unit_tests $(BUILD)/luagrad $(BUILD)/fuzz_replay

# The same sources and tests, built into build/asan/ with the sanitizers.
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,float-cast-overflow \
             -fno-sanitize-recover=undefined
sanitize: test-tools
	@$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	  build/asan/luagrad build/asan/unit_tests build/asan/fuzz_replay
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1 \
	 sh tests/run.sh build/asan/unit_tests build/asan/luagrad build/asan/fuzz_replay

# ---- fuzzing (tests/fuzz/) -------------------------------------------------
# Each harness tests/fuzz/NAME.c is linked twice: into $(BUILD)/fuzz_replay,
# which make test runs on tests/fuzz/*/seed/* and */regress/* with any
# compiler, and with clang's libFuzzer into build/fuzz/fuzz-NAME for make
# fuzz. make fuzz installs Debian's clang as root when it is missing.
FUZZ_NAMES   := csv numfmt params range
FUZZ_SRC     := $(FUZZ_NAMES:%=tests/fuzz/%.c)
FUZZ_INPUTS   = $(sort $(wildcard tests/fuzz/*/seed/* tests/fuzz/*/regress/*))
NOMAIN_OBJ   := $(CORE_OBJ) $(filter-out $(BUILD)/src/host/main.o,$(APP_OBJ))
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=undefined
.PHONY: fuzz fuzz-tools valgrind valgrind-tools

$(BUILD)/fuzz_replay: $(FUZZ_SRC) tests/fuzz/replay.c tests/fuzz/fuzz.h $(NOMAIN_OBJ) $(BUILD)/flags
	@echo "  LINK  $@"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(LUA_CFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(FUZZ_SRC) \
	  tests/fuzz/replay.c $(NOMAIN_OBJ) $(LUA_LIBS) $(ALL_LDLIBS)

# One libFuzzer binary per harness (made inside make fuzz, with BUILD=build/fuzz).
$(BUILD)/fuzz-%: tests/fuzz/%.c tests/fuzz/fuzz.h $(NOMAIN_OBJ) $(BUILD)/flags
	@echo "  LINK  $@"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(LUA_CFLAGS) $(ALL_CFLAGS) -DFUZZ_LIBFUZZER -fsanitize=fuzzer \
	  -o $@ $< $(NOMAIN_OBJ) $(LUA_LIBS) $(ALL_LDLIBS)

fuzz-tools: $(BUILD)/deps.ok
	$(call install_tools,clang:clang)

# Runs each harness for FUZZ_SECONDS on a working corpus in build/fuzz/corpus/
# (kept between runs) started from the seeds; prints the executions of each.
# A crash stops it: the input is in build/fuzz/crash-NAME-*; once fixed, copy
# it to tests/fuzz/NAME/regress/ so make test replays it.
# FUZZ_RUNS=N: at most N inputs per harness, from a fixed seed: the same
# inputs every time (CI), where a run bounded by time alone would try more
# on a faster machine and could fail one day and pass the next.
FUZZ_RUNS_OPT = $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS) -seed=1)
fuzz: fuzz-tools
	@command -v clang >/dev/null 2>&1 || { echo "make fuzz needs clang (apt-get install clang)" >&2; exit 1; }
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" \
	  LDFLAGS="$(FUZZ_CFLAGS)" $(FUZZ_NAMES:%=build/fuzz/fuzz-%)
	@for name in $(FUZZ_NAMES); do \
	  mkdir -p build/fuzz/corpus/$$name; \
	  log=build/fuzz/$$name.log; \
	  build/fuzz/fuzz-$$name -max_total_time=$(FUZZ_SECONDS) $(FUZZ_RUNS_OPT) -max_len=4096 -timeout=10 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/crash-$$name- \
	    build/fuzz/corpus/$$name tests/fuzz/$$name/seed >$$log 2>&1 || \
	    { tail -n 40 $$log; echo "fuzz $$name: crashed; the input is build/fuzz/crash-$$name-*" >&2; exit 1; }; \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
	  echo "fuzz $$name: $$runs executions in $(FUZZ_SECONDS) s, no crash"; \
	done

# ---- valgrind --------------------------------------------------------------
# make valgrind: every test with the programs under valgrind's memcheck
# (built into build/valgrind/ with -O1 -g): no invalid access, no use of
# uninitialised values, no leak (definite, indirect or possible). The tests
# start luagrad through $LUAGRAD, so every luagrad a test starts runs under
# memcheck too (valgrind by its full path: some tests narrow PATH). Each
# process logs to build/valgrind/logs/; any error fails.
# VALGRIND_TESTS="tests/test_a.lua ..." runs only those Lua tests (CI).
# make valgrind installs valgrind as root when it is missing.
# --fair-sched=yes: valgrind runs one thread at a time; this hands the
# turn over in order, so the thread pool's workers are not starved.
VALGRIND_OPTS := --fair-sched=yes --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
                 --errors-for-leak-kinds=definite,indirect,possible --num-callers=30 \
                 --suppressions=$(CURDIR)/tests/valgrind.supp
valgrind-tools: $(BUILD)/deps.ok
	$(call install_tools,valgrind:valgrind)

valgrind: valgrind-tools
	@command -v valgrind >/dev/null 2>&1 || { echo "make valgrind needs valgrind (apt-get install valgrind)" >&2; exit 1; }
	@$(MAKE) --no-print-directory BUILD=build/valgrind CFLAGS="-O1 -g -DLUAGRAD_MEMCHECK" \
	  build/valgrind/luagrad build/valgrind/unit_tests build/valgrind/fuzz_replay
	@rm -rf build/valgrind/logs build/valgrind/vg && mkdir -p build/valgrind/logs build/valgrind/vg && \
	  chmod 1777 build/valgrind/logs  # a test runs luagrad as another user
	@for p in luagrad unit_tests fuzz_replay; do \
	  printf '#!/bin/sh\nexport LUAGRAD_VALGRIND=1\nexec %s %s --log-file=%s/build/valgrind/logs/%%p.log %s/build/valgrind/%s "$$@"\n' \
	    "$$(command -v valgrind)" '$(VALGRIND_OPTS)' '$(CURDIR)' '$(CURDIR)' $$p > build/valgrind/vg/$$p; \
	  chmod +x build/valgrind/vg/$$p; \
	done
	@status=0; TESTS="$(VALGRIND_TESTS)" sh tests/run.sh build/valgrind/vg/unit_tests \
	  $(CURDIR)/build/valgrind/vg/luagrad build/valgrind/vg/fuzz_replay || status=1; \
	bad=$$(grep -l 'ERROR SUMMARY: [1-9]' build/valgrind/logs/*.log); \
	for f in $$bad; do cat $$f; done; \
	other=$$(grep -L 'ERROR SUMMARY' build/valgrind/logs/*.log | wc -l); \
	echo "valgrind: $$(ls build/valgrind/logs | wc -l) processes, $$(echo $$bad | wc -w) with errors" \
	  "($$other without a summary: forked to run another program, or killed by a test)"; \
	[ $$status = 0 ] && [ -z "$$bad" ]

# ---- the Lua module luagrad.so ---------------------------------------------
# The same core and bindings, compiled again as position-independent code
# into $(BUILD)/pic/, with src/module/luagrad.c as the entry. It does not
# link liblua: the lua5.4 that loads it provides Lua. LuaRocks builds it
# through luagrad-scm-1.rockspec (make module, make install-module).
PIC_OBJ := $(patsubst %.c,$(BUILD)/pic/%.o,$(CORE_SRC) $(LIB_SRC) src/module/luagrad.c) \
           $(BUILD)/pic/lua_modules.o
.PHONY: module install-module
module: luagrad.so
luagrad.so: $(BUILD)/luagrad.so
	@cp $< $@
$(BUILD)/luagrad.so: $(PIC_OBJ) $(BUILD)/flags
	@echo "  LINK  $@"
	$(Q)$(CC) -shared $(LDFLAGS) $(ALL_CFLAGS) -o $@ $(PIC_OBJ) -lm -lpthread
$(BUILD)/pic/%.o: %.c $(BUILD)/deps.ok $(BUILD)/flags
	@mkdir -p $(@D)
	@echo "  CC    $< (module)"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(LUA_CFLAGS) $(ALL_CFLAGS) -fPIC -MMD -MP -c -o $@ $<
$(BUILD)/pic/lua_modules.o: $(BUILD)/lua_modules.c $(BUILD)/flags
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fPIC -c -o $@ $<
# For the module's tests: LuaRocks, a stock lua5.4, and luacheck (the Lua
# checker run over examples/ with the editor definitions' globals).
TEST_TOOLS += luarocks:luarocks lua5.4:lua5.4 luacheck:lua-check
# LuaRocks passes INST_LIBDIR, the C module folder of its tree.
install-module: $(BUILD)/luagrad.so
	install -d $(DESTDIR)$(INST_LIBDIR)
	install -m 755 $(BUILD)/luagrad.so $(DESTDIR)$(INST_LIBDIR)/luagrad.so

# ---- the reference -----------------------------------------------------------
# doc/reference.md, made from the editor definitions (lua/types/) by
# doc/gendoc.lua; tests/test_reference.lua checks it is up to date.
.PHONY: doc
doc: $(BUILD)/luagrad
	$(Q)$(BUILD)/luagrad -q --out $(BUILD)/gendoc doc/gendoc.lua > doc/reference.md.tmp
	$(Q)mv doc/reference.md.tmp doc/reference.md
	@echo "  DOC   doc/reference.md"

# ---- the tutorial's pictures -------------------------------------------------
# doc/tutorial/*.png, drawn by running doc/tutorial.md's commands in order in
# a fresh folder (doc/tutorial_pictures.lua); needs gnuplot and dot.
# tests/test_tutorial.lua checks the commands, their output and the pictures.
.PHONY: tutorial-pictures
tutorial-pictures: $(BUILD)/luagrad run-tools
	$(Q)$(BUILD)/luagrad -q --out $(BUILD)/tutorial doc/tutorial_pictures.lua exe=$(CURDIR)/$(BUILD)/luagrad

# ---- benchmark, install ----------------------------------------------------
# hyperfine times W1's whole processes (without it the runner does, with
# ~1 ms of its own in every figure).
bench: luagrad
	$(call install_tools,hyperfine:hyperfine)
	@sh bench/run.sh

# The program, the Lua module (in the prefix's Lua 5.4 C module folder; a
# stock lua5.4 looks in /usr/local/lib/lua/5.4), the man page, the editor
# definitions (lua/types/, for the Lua language server) and the examples.
LUA_CMOD ?= $(PREFIX)/lib/lua/5.4
SHARE    := $(PREFIX)/share/luagrad
TYPES    := $(sort $(wildcard lua/types/*.lua))
EXAMPLES := $(sort $(wildcard examples/*.lua))
EXDATA   := $(sort $(wildcard examples/data/*))
install: $(BUILD)/luagrad $(BUILD)/luagrad.so
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(LUA_CMOD) \
	  $(DESTDIR)$(SHARE)/types $(DESTDIR)$(SHARE)/examples/data
	install -m 755 $(BUILD)/luagrad $(DESTDIR)$(PREFIX)/bin/luagrad
	install -m 755 $(BUILD)/luagrad.so $(DESTDIR)$(LUA_CMOD)/luagrad.so
	install -m 644 doc/luagrad.1 $(DESTDIR)$(PREFIX)/share/man/man1/luagrad.1
	install -m 644 $(TYPES) $(DESTDIR)$(SHARE)/types/
	install -m 644 $(EXAMPLES) $(DESTDIR)$(SHARE)/examples/
	install -m 644 $(EXDATA) $(DESTDIR)$(SHARE)/examples/data/
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/luagrad $(DESTDIR)$(PREFIX)/share/man/man1/luagrad.1 \
	  $(DESTDIR)$(LUA_CMOD)/luagrad.so
	rm -rf $(DESTDIR)$(SHARE)

clean:
	rm -rf build luagrad luagrad.so

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
