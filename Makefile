# HydraNet model and experiment suite.
#   make            build build/hydranet and build/libhydranet.a
#   make test       unit tests (plain and under ASan+UBSan), fuzz smoke, scenario tests
#   make bench      benchmarks (wall-time ratios, Internet scale; results in
#                   bench/results.txt; fails when a target is missed; not
#                   part of make test)
#   make reproduce  run every paper experiment and draw the figures
# `make test` and `make reproduce` first install missing Debian packages
# (tools/deps.sh: apt-get as root, else it prints the apt-get line).

CC       ?= gcc
CXX      ?= g++
CLANG    ?= clang
WARN      = -Wall -Wextra -Werror
# C only (g++ refuses the last two for C++)
CWARN     = $(WARN) -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CSTD      = -std=c11 -D_POSIX_C_SOURCE=200809L
CFLAGS   ?= -O2 -g
CXXFLAGS ?= -O2 -g
CPPFLAGS += -Imodel -Ibuild/gen -MMD -MP
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
NS3LIBS   = -lns3-internet-apps -lns3-point-to-point -lns3-internet -lns3-traffic-control \
            -lns3-bridge -lns3-network -lns3-stats -lns3-core
LDLIBS    = $(NS3LIBS) -lsqlite3 -linih -lgsl -lgslcblas -lsodium -lstdc++ -lm
# The plain builds allocate with gperftools' tcmalloc: ns-3 allocates and
# frees a packet, buffer, header and event per hop, and glibc's malloc made
# a simulation of many connections run at half the speed (scale.ini at
# N = 30: 29.3 s with glibc, 14.7 s with tcmalloc, the same events).  The
# allocator changes no result (tools/metric-tables.sh).  ASan builds keep
# ASan's allocator.
MALLOC    = -ltcmalloc_minimal
SAN       = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

B  = build
BA = build/asan

LIB_C   = $(wildcard model/*.c model/net/*.c model/hydranet/*.c model/apps/*.c \
                     model/results/*.c model/scenario/*.c model/testbed/*.c model/world/*.c)
LIB_CXX = $(wildcard model/sim/*.cc)
NET_C   = model/status.c $(wildcard model/net/*.c)
# what fuzz targets link: the pure-C layers, no simulator
FUZZ_C  = $(NET_C) model/param.c model/roles.c $(wildcard model/*/*_params.c) model/scenario/source.c model/scenario/scenario.c model/scenario/topogen.c model/scenario/topofile.c \
          model/hydranet/rmp.c model/hydranet/hchk_msg.c model/apps/redirect.c
CLI_C   = $(wildcard model/cli/*.c)
UNIT    = $(basename $(notdir $(wildcard tests/unit/test_*.c)))
FUZZ    = $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))

obj     = $(patsubst %.c,$(1)/obj/%.o,$(filter %.c,$(2))) \
          $(patsubst %.cc,$(1)/obj/%.o,$(filter %.cc,$(2)))

.PHONY: FORCE params metrics all deps test unit unit-asan fuzz-smoke scenario-tests bench reproduce figures clean fuzz
.SUFFIXES:
.SECONDARY:

all: $(B)/hydranet

params metrics: $(B)/hydranet
	sh tools/gen-params.sh $(B)/hydranet README.md

deps:
	@sh tools/deps.sh

# ---- plain build --------------------------------------------------------
$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CWARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@
$(B)/obj/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) -std=c++17 $(WARN) -Wno-unused-parameter $(CXXFLAGS) $(CPPFLAGS) -c $< -o $@
$(B)/libhydranet.a: $(call obj,$(B),$(LIB_C) $(LIB_CXX))
	@rm -f $@
	ar rcs $@ $^
$(B)/hydranet: $(call obj,$(B),$(CLI_C)) $(B)/libhydranet.a
	$(CC) -o $@ $^ $(LDLIBS) $(MALLOC)
$(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/libhydranet.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ -lcmocka $(LDLIBS) $(MALLOC)
$(B)/bench/%: $(B)/obj/tests/bench/%.o $(B)/libhydranet.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LDLIBS) $(MALLOC)

# schema.sql becomes a C string literal for res.c
build/gen/schema.inc: model/results/schema.sql
	@mkdir -p $(@D)
	sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $< > $@
$(B)/obj/model/results/res.o $(BA)/obj/model/results/res.o: build/gen/schema.inc
# The code version every run records: rewritten only when it changes, so
# the program is rebuilt exactly then.
build/gen/version.h: FORCE
	@mkdir -p $(@D)
	@v='#define HN_VERSION "$(VERSION)"'; [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" > $@
$(B)/obj/model/cli/hydranet.o $(BA)/obj/model/cli/hydranet.o: build/gen/version.h
FORCE:

# ---- ASan + UBSan build -------------------------------------------------
$(BA)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) $(CPPFLAGS) -c $< -o $@
$(BA)/obj/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) -std=c++17 $(WARN) -Wno-unused-parameter -O1 -g $(SAN) $(CPPFLAGS) -c $< -o $@
$(BA)/libhydranet.a: $(call obj,$(BA),$(LIB_C) $(LIB_CXX))
	@rm -f $@
	ar rcs $@ $^
$(BA)/hydranet: $(call obj,$(BA),$(CLI_C)) $(BA)/libhydranet.a
	$(CC) $(SAN) -o $@ $^ $(LDLIBS)
$(BA)/tests/%: $(BA)/obj/tests/unit/%.o $(BA)/libhydranet.a
	@mkdir -p $(@D)
	$(CC) $(SAN) -o $@ $^ -lcmocka $(LDLIBS)

# ---- fuzz targets (clang libFuzzer, ASan + UBSan) -------------------------
# Rebuilt when any model header changes, as the objects are (-MMD).
$(B)/fuzz/%: tests/fuzz/%.c $(FUZZ_C) $(wildcard model/*.h model/*/*.h)
	@mkdir -p $(@D)
	$(CLANG) $(CSTD) $(CWARN) -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all -Imodel $(filter %.c,$^) -linih -o $@

# ---- tests --------------------------------------------------------------
FUZZ_SECONDS ?= 10
# ns-3 allocates a packet buffer or a tag per event, and with ASan's defaults
# (30 frames recorded per allocation, 256 MB of quarantine) recording those
# stacks and faulting in fresh pages took 3/4 of an ASan run's time.  Two
# frames per allocation and 16 MB of quarantine run the ASan scenario tests
# 2.8x faster; the stack of an error itself is still printed whole.  For a
# deeper allocation stack when a report needs one, rerun with
# ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 (the defaults).
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=1:malloc_context_size=2:quarantine_size_mb=16
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

# Build everything first, one job per core, then run.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all $(addprefix $(B)/tests/,$(UNIT)) \
	  $(addprefix $(BA)/tests/,$(UNIT)) $(BA)/hydranet $(addprefix $(B)/fuzz/,$(FUZZ))
	@$(MAKE) --no-print-directory unit unit-asan fuzz-smoke scenario-tests

unit: $(addprefix $(B)/tests/,$(UNIT))
	@sh tools/run-tests.sh plain $^

unit-asan: $(addprefix $(BA)/tests/,$(UNIT))
	@sh tools/run-tests.sh asan $^

fuzz-smoke: $(addprefix $(B)/fuzz/,$(FUZZ))
	@sh tools/fuzz-smoke.sh $(FUZZ_SECONDS) $(JOBS) $^

fuzz: $(addprefix $(B)/fuzz/,$(FUZZ))
	@for f in $^; do n=$$(basename $$f); mkdir -p $(B)/corpus/$$n; \
	  $$f -max_total_time=300 $(B)/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

scenario-tests: $(B)/hydranet $(BA)/hydranet
	@sh tools/gen-params.sh $(B)/hydranet README.md --check
	@sh tools/run-scenario-tests.sh

# ---- experiments ---------------------------------------------------------
bench: deps
	@$(MAKE) --no-print-directory $(B)/hydranet $(B)/bench/bench_redirect $(B)/bench/bench_auth
	$(B)/bench/bench_auth
	sh tools/bench-scale.sh $(B)/hydranet $(B)/bench/bench_redirect

reproduce: deps
	@$(MAKE) --no-print-directory all
	@sh tools/reproduce.sh

figures: $(B)/hydranet
	@sh tools/figures.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
