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
SCHEMADIR = $(PREFIX)/share/logproc/schema
EXDIR	= $(PREFIX)/share/logproc/examples

CC	?= cc
OPT	?= -O2 -g -flto=auto
CFLAGS	?= $(OPT)
WARN	= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wpointer-arith -Wno-unused-parameter
PCRE2_CFLAGS := $(shell pkg-config --cflags libpcre2-8)
PCRE2_LIBS   := $(shell pkg-config --libs libpcre2-8)
SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3)
SQLITE_LIBS  := $(shell pkg-config --libs sqlite3)
RDKAFKA_LIBS := $(shell pkg-config --libs rdkafka)
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
	  -Icommon -I$(B) $(PCRE2_CFLAGS) $(WARN) $(CFLAGS)

# B is the build directory: build/ normally, build-san/ for the sanitizer run.
B	?= build
BIN	= $(B)/bin

CMDS	= lognorm loggen logjoin tracebuild sqlload depgraph logreport
# What liblogproc.a itself needs: zlib (gzip input) and libm.
LIB_LIBS = -lz -lm
LIBS_lognorm = $(PCRE2_LIBS) -ljq
LIBS_sqlload = $(SQLITE_LIBS)
LIBS_logreport = $(SQLITE_LIBS)
SCHEMA	= $(sort $(wildcard schema/[0-9]*.sql))

COMMON_OBJ = $(patsubst %.c,$(B)/%.o,$(wildcard common/*.c))
LIB	= $(B)/liblogproc.a
MANS	= $(wildcard man/*.[1-8])
# The sample files the man pages' EXAMPLES read (installed in EXDIR).
EXAMPLES = $(wildcard tests/fixtures/*.log tests/fixtures/*.rules \
	    tests/fixtures/*.csv)

# The sources of command $(1): its folder's, or its one file.
cmd_src = $(or $(wildcard cmd/$(1)/*.c),cmd/$(1).c)
cmd_obj = $(patsubst %.c,$(B)/%.o,$(call cmd_src,$(1)))
# lognorm's engine without its main(), for its unit tests and fuzzers.
LOGNORM_ENGINE = $(filter-out %/main.o,$(call cmd_obj,lognorm))

all: $(CMDS:%=$(BIN)/%) $(BIN)/logproc-replay $(B)/tests/common-unit \
    $(B)/tests/lognorm-unit $(B)/tests/evpass $(B)/tests/mockbroker \
    $(B)/tests/ptyfeed $(B)/tests/cypher-check
ifeq ($(B),build)
	@mkdir -p bin
	@for c in $(CMDS); do ln -sf ../$(BIN)/$$c bin/$$c; done
endif

$(B)/%.o: %.c $(B)/config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# lognorm's rule compiler reads the built-in rules, compiled in.
$(B)/cmd/lognorm/main.o: $(B)/builtin_rules.h
# sqlload creates and migrates its database with the schema, compiled in.
$(B)/cmd/sqlload/db.o: $(B)/schema_sql.h
$(B)/cmd/sqlload/%.o: ALL_CFLAGS += $(SQLITE_CFLAGS)
$(B)/cmd/logreport/%.o: ALL_CFLAGS += $(SQLITE_CFLAGS)

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

# schema/NNN-*.sql as { "NNN-name.sql", "text" }, in order: the migrations.
$(B)/schema_sql.h: $(SCHEMA)
	@mkdir -p $(@D)
	for f in $(SCHEMA); do printf '{ "%s",\n' "$${f##*/}"; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $$f; \
	    printf '},\n'; done > $@.tmp
	mv $@.tmp $@

# SQLite alone loading the rows sqlload loaded: the floor under sqlload's
# rate, for make bench (scripts/bench-sqlload.sh); not installed.
all: $(B)/tests/sqlfloor
$(B)/tests/sqlfloor: $(B)/tests/unit/sqlfloor.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(SQLITE_LIBS) -lm
$(B)/tests/unit/sqlfloor.o: ALL_CFLAGS += $(SQLITE_CFLAGS)

$(LIB): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $(COMMON_OBJ)

define cmd_rule
$(BIN)/$(1): $(call cmd_obj,$(1)) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CFLAGS) $$(LDFLAGS) -o $$@ $(call cmd_obj,$(1)) $$(LIB) \
	    $$(LIBS_$(1)) $$(LIB_LIBS)
endef
$(foreach c,$(CMDS),$(eval $(call cmd_rule,$(c))))

# C unit tests: of common/ (tests/unit/unit.c) and of lognorm's engine
# (tests/unit/lognorm.c); run by tests/01-unit.bats.
UNIT_OBJ = $(patsubst %.c,$(B)/%.o,tests/unit/unit.c \
	    $(wildcard tests/unit/unit_*.c) tests/unit/tap.c)
$(B)/tests/common-unit: $(UNIT_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(LIB) $(LIB_LIBS)
$(B)/tests/lognorm-unit: $(B)/tests/unit/lognorm.o $(B)/tests/unit/tap.o \
    $(LOGNORM_ENGINE) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/tests/unit/tap.o \
	    $(LOGNORM_ENGINE) $(LIB) \
	    $(LIBS_lognorm) $(LIB_LIBS)
$(B)/tests/unit/lognorm.o: ALL_CFLAGS += -Icmd/lognorm
# The record layer as a page: read events, write or keep them.
$(B)/tests/evpass: $(B)/tests/unit/evpass.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LIB_LIBS)

# The replay script beside the commands, so that the tests find it there.
$(BIN)/logproc-replay: scripts/logproc-replay
	@mkdir -p $(@D)
	cp $< $@

# The Kafka test broker (librdkafka's mock cluster), for tests/41-kafka.bats;
# not installed.
$(B)/tests/mockbroker: $(B)/tests/kafka/mockbroker.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(RDKAFKA_LIBS)

# A test helper: standard input that ends in EIO (tests/helpers/ptyfeed.c).
$(B)/tests/ptyfeed: $(B)/tests/helpers/ptyfeed.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<
# A strict parser of the Cypher that depgraph writes (tests/30-depgraph.bats).
$(B)/tests/cypher-check: $(B)/tests/tools/cypher-check.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

# jdoc_parse against its reference tokenizer (tests/unit/json_ref.c): the
# differential test, run by tests/01-unit.bats, and jparse, a timer.
all: $(B)/tests/json-diff $(B)/tests/jparse
$(B)/tests/json-diff: $(B)/tests/unit/json_diff.o $(B)/tests/unit/json_ref.o \
    $(B)/tests/unit/tap.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)
$(B)/tests/jparse: $(B)/tests/bench/jparse.o $(B)/tests/unit/json_ref.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)
$(B)/tests/bench/jparse.o $(B)/tests/unit/json_diff.o: ALL_CFLAGS += -Itests/unit

# The same under libFuzzer (tests/fuzz/json.c, one of FUZZERS): against
# the reference, so it links that too.
$(B)/fuzz/fuzz-json: $(B)/tests/fuzz/json.o $(B)/tests/unit/json_ref.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIB_LIBS)
$(B)/tests/fuzz/json.o: ALL_CFLAGS += -Itests/unit

# (gcc's undefined does not check conversions of doubles to integers
# that cannot hold them: float-cast-overflow does)
SAN_FLAGS = -O1 -g -fsanitize=address,undefined,float-cast-overflow \
	    -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined,float-cast-overflow

# libFuzzer harnesses (tests/fuzz/*.c), built with clang into build-fuzz/
# and run by tests/fuzz/run, each for FUZZ_SECONDS.
FUZZERS	= line rules tmpl event ts json spans
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	    -fno-omit-frame-pointer -fno-sanitize-recover=undefined

check: all
	tests/run build
	$(MAKE) B=build-san CFLAGS="$(SAN_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined,float-cast-overflow" all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run build-san

fuzz:
	$(MAKE) B=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" fuzzers
	tests/fuzz/run build-fuzz $(FUZZ_SECONDS)

fuzzers: $(FUZZERS:%=$(B)/fuzz/fuzz-%)

$(B)/fuzz/fuzz-%: $(B)/tests/fuzz/%.o $(LOGNORM_ENGINE) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(LOGNORM_ENGINE) $(LIB) $(LIBS_lognorm) -lm
$(B)/tests/fuzz/%.o: ALL_CFLAGS += -Icmd/lognorm
$(B)/tests/fuzz/line.o: $(B)/builtin_rules.h

acceptance: all
	tests/acceptance/run build

# The ceiling lognorm is measured against: simdjson and PCRE2, no output
# (C++, for this benchmark only; simdjson's on-demand API picks its
# kernel when compiled, hence -march=native).
$(B)/bench/ceiling: scripts/bench/ceiling.cpp
	@mkdir -p $(@D)
	$(CXX) -O2 -march=native -std=c++17 -o $@ $< $(PCRE2_CFLAGS) \
	    $(PCRE2_LIBS) -lsimdjson

bench: all $(B)/bench/ceiling
	scripts/bench.sh

lint: $(B)/builtin_rules.h $(B)/schema_sql.h $(B)/config.h
	mandoc -T lint -W warning $(MANS)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	    --std=c11 --suppress=missingIncludeSystem -Icommon -I$(B) \
	    common cmd tests/unit tests/kafka tests/fuzz tests/helpers

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(RULEDIR) $(DESTDIR)$(SCHEMADIR)
	install -m 755 $(CMDS:%=$(BIN)/%) scripts/logproc-replay $(DESTDIR)$(BINDIR)
	install -m 644 $(SCHEMA) schema/README.md $(DESTDIR)$(SCHEMADIR)
	install -m 644 $(filter-out rules/builtin.rules,$(wildcard rules/*.rules)) \
	    $(DESTDIR)$(RULEDIR)
	for m in $(MANS); do s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
	    install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; done
	install -d $(DESTDIR)$(EXDIR)/spans $(DESTDIR)$(EXDIR)/depgraph
	install -m 644 $(EXAMPLES) $(DESTDIR)$(EXDIR)
	install -m 644 $(wildcard tests/fixtures/spans/*) $(DESTDIR)$(EXDIR)/spans
	install -d $(DESTDIR)$(EXDIR)/logreport
	install -m 644 $(wildcard tests/fixtures/logreport/*) \
	    $(DESTDIR)$(EXDIR)/logreport
	install -m 644 $(wildcard tests/fixtures/depgraph/*.traces) \
	    $(DESTDIR)$(EXDIR)/depgraph

clean:
	rm -rf build build-san build-fuzz bin

.PHONY: all check acceptance fuzz fuzzers bench lint install clean FORCE
.SECONDARY:
