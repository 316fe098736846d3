# logproc - small C filters for the logs of distributed systems.
#
#   make            build every command into bin/
#   make check      the test suite, then the same suite under ASan+UBSan
#   make acceptance the suite against ../shared/data (real third-party logs)
#   make bench      benchmarks against the peers (see README)
#   make lint       mandoc -T lint and cppcheck
#   make install    PREFIX=/usr/local DESTDIR=

VERSION	= 0.1.0
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
LIBS	= $(PCRE2_LIBS) -ljq -lm

# B is the build directory: build/ normally, build-san/ for the sanitizer run.
B	?= build
BIN	= $(B)/bin

CMDS	= lognorm loggen
COMMON_SRC = $(wildcard common/*.c)
COMMON_OBJ = $(COMMON_SRC:common/%.c=$(B)/common/%.o)
LIB	= $(B)/liblogproc.a
MANS	= $(wildcard man/*.[1-8])

all: $(CMDS:%=$(BIN)/%) $(B)/tests/unit
	@mkdir -p bin
	@for c in $(CMDS); do ln -sf ../$(BIN)/$$c bin/$$c; done

$(B)/common/%.o: common/%.c $(wildcard common/*.h) $(B)/builtin_rules.h \
	    $(B)/config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/cmd/%.o: cmd/%.c $(wildcard common/*.h) $(B)/builtin_rules.h \
	    $(B)/config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

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

# C unit tests of the library (run by tests/01-unit.bats).
$(B)/tests/unit: tests/unit/unit.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

$(LIB): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $(COMMON_OBJ)

$(BIN)/%: $(B)/cmd/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined

check: all
	tests/run build
	$(MAKE) B=build-san CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	    $(CMDS:%=build-san/bin/%) build-san/tests/unit
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
	rm -rf build build-san bin

.PHONY: all check acceptance bench lint install clean FORCE
.SECONDARY:
