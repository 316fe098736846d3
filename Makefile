# logproc - small C filters for the logs of distributed systems.
#
#   make            build every command into bin/
#   make check      the test suite, then the same suite under ASan+UBSan
#   make acceptance the suite against ../shared/data (real third-party logs)
#   make fuzz       each libFuzzer harness for FUZZ_SECONDS (default 60)
#   make bench      benchmarks against the peers (see README)
#   make lint       mandoc -T lint and cppcheck
#   make install    PREFIX=/usr/local DESTDIR=
#
# A command is cmd/NAME.c, or the folder cmd/NAME/ (main.c and the engine
# only it uses).  Every command links build/liblogproc.a, made of common/;
# LIBS_NAME adds what that command alone needs.

VERSION	= 0.2.0
PREFIX	?= /usr/local
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man
RULEDIR	= $(PREFIX)/share/logproc/rules

CC	?= cc
OPT	?= -O2 -g
CFLAGS	?= $(OPT)
WARN	= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wpointer-arith -Wno-unused-parameter
PCRE2_CFLAGS := $(shell pkg-config --cflags libpcre2-8)
PCRE2_LIBS   := $(shell pkg-config --libs libpcre2-8)
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
	  -Icommon -I$(B) $(PCRE2_CFLAGS) $(WARN) $(CFLAGS)

# B is the build directory: build/ normally, build-san/ for the sanitizer run.
B	?= build
BIN	= $(B)/bin

CMDS	= lognorm loggen logjoin tracebuild
LIBS_lognorm = $(PCRE2_LIBS) -ljq

COMMON_OBJ = $(patsubst %.c,$(B)/%.o,$(wildcard common/*.c))
LIB	= $(B)/liblogproc.a
MANS	= $(wildcard man/*.[1-8])

# The sources of command $(1): its folder's, or its one file.
cmd_src = $(or $(wildcard cmd/$(1)/*.c),cmd/$(1).c)
cmd_obj = $(patsubst %.c,$(B)/%.o,$(call cmd_src,$(1)))
# lognorm's engine without its main(), for its unit tests and fuzzers.
LOGNORM_ENGINE = $(filter-out %/main.o,$(call cmd_obj,lognorm))

all: $(CMDS:%=$(BIN)/%) $(B)/tests/common-unit $(B)/tests/lognorm-unit
ifeq ($(B),build)
	@mkdir -p bin
	@for c in $(CMDS); do ln -sf ../$(BIN)/$$c bin/$$c; done
endif

$(B)/%.o: %.c $(B)/config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# lognorm's rule compiler reads the built-in rules, compiled in.
$(B)/cmd/lognorm/main.o: $(B)/builtin_rules.h

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Build-time settings; rewritten only when they change (e.g. another
# PREFIX), so that a change rebuilds what depends on it.
$(B)/config.h: FORCE
	@mkdir -p $(@D)
	@printf '#define LP_VERSION "%s"\n#define LP_RULEDIR "%s"\n' \
	    '$(VERSION)' '$(RULEDIR)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

# The built-in rules are an ordinary rule file compiled into the binary.
$(B)/builtin_rules.h: rules/builtin.rules
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp
	mv $@.tmp $@

$(LIB): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $(COMMON_OBJ)

define cmd_rule
$(BIN)/$(1): $(call cmd_obj,$(1)) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CFLAGS) $$(LDFLAGS) -o $$@ $(call cmd_obj,$(1)) $$(LIB) \
	    $$(LIBS_$(1)) -lm
endef
$(foreach c,$(CMDS),$(eval $(call cmd_rule,$(c))))

# C unit tests: of common/ (tests/unit/unit.c) and of lognorm's engine
# (tests/unit/lognorm.c); run by tests/01-unit.bats.
$(B)/tests/common-unit: $(B)/tests/unit/unit.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) -lm
$(B)/tests/lognorm-unit: $(B)/tests/unit/lognorm.o $(LOGNORM_ENGINE) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LOGNORM_ENGINE) $(LIB) \
	    $(LIBS_lognorm) -lm
$(B)/tests/unit/lognorm.o: ALL_CFLAGS += -Icmd/lognorm
# jdoc_parse against its reference tokenizer (tests/unit/json_ref.c): the
# differential test, run by tests/01-unit.bats, and jparse, a timer.
all: $(B)/tests/json-diff $(B)/tests/jparse
$(B)/tests/json-diff: $(B)/tests/unit/json_diff.o $(B)/tests/unit/json_ref.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -lm
$(B)/tests/jparse: $(B)/tests/bench/jparse.o $(B)/tests/unit/json_ref.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -lm
$(B)/tests/bench/jparse.o $(B)/tests/unit/json_diff.o: ALL_CFLAGS += -Itests/unit

# The same under libFuzzer (tests/fuzz/json.c), built with clang into
# build-fuzz/ and run for JSON_FUZZ_SECONDS from the seeds in
# tests/fuzz/corpus/json; new inputs go to build-fuzz/fuzz/corpus-json,
# a failing one to build-fuzz/fuzz/crash/json-*.
JSON_FUZZ_SECONDS ?= 60
JSON_FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	    -fno-omit-frame-pointer -fno-sanitize-recover=undefined
fuzz-json:
	$(MAKE) B=build-fuzz CC=clang CFLAGS="$(JSON_FUZZ_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" build-fuzz/fuzz/fuzz-json
	@mkdir -p build-fuzz/fuzz/corpus-json build-fuzz/fuzz/crash
	build-fuzz/fuzz/fuzz-json -max_total_time=$(JSON_FUZZ_SECONDS) \
	    -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
	    -dict=tests/fuzz/json.dict -artifact_prefix=build-fuzz/fuzz/crash/json- \
	    build-fuzz/fuzz/corpus-json tests/fuzz/corpus/json
$(B)/fuzz/fuzz-json: $(B)/tests/fuzz/json.o $(B)/tests/unit/json_ref.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ -lm
$(B)/tests/fuzz/json.o: ALL_CFLAGS += -Itests/unit
.PHONY: fuzz-json

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined

check: all
	tests/run build
	$(MAKE) B=build-san CFLAGS="$(SAN_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run build-san

acceptance: all
	tests/acceptance/run build

bench: all
	scripts/bench.sh

lint: $(B)/builtin_rules.h $(B)/config.h
	mandoc -T lint -W warning $(MANS)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	    --std=c11 --suppress=missingIncludeSystem -Icommon -I$(B) \
	    common cmd tests/unit

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(RULEDIR)
	install -m 755 $(CMDS:%=$(BIN)/%) $(DESTDIR)$(BINDIR)
	install -m 644 $(filter-out rules/builtin.rules,$(wildcard rules/*.rules)) \
	    $(DESTDIR)$(RULEDIR)
	for m in $(MANS); do s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
	    install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; done

clean:
	rm -rf build build-san build-fuzz bin

.PHONY: all check acceptance fuzz bench lint install clean FORCE
.SECONDARY:
