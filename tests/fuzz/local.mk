# tests/fuzz/local.mk — libFuzzer targets for every parser of outside
# input (included from tests/local.mk). See tests/fuzz/README.
#
#   ./configure --enable-fuzzing CC=clang && make && make check-fuzz
#
# With --enable-fuzzing every library and program is compiled with
# ASan+UBSan and -fsanitize=fuzzer-no-link (coverage for libFuzzer); the
# targets below are linked with -fsanitize=fuzzer ($(FUZZ_LDFLAGS)).
# cJSON is Debian's libcjson, uninstrumented (its source is not on this
# machine; see tests/fuzz/README): our decoders on top are instrumented,
# and the seeds and tests/fuzz/json.dict give the shapes cJSON accepts.
#
# make check-fuzz runs each target for FUZZ_SECONDS (default 30) over a
# copy of its corpus, two at a time, and fails on any crash, leak or
# timeout; bench/fuzz.sh runs them long and records the figures.

FUZZ_TARGETS = fuzz-arm fuzz-secrets fuzz-lro fuzz-challenge fuzz-url \
	fuzz-token fuzz-http-header fuzz-cloud fuzz-config fuzz-cli-args
FUZZ_SECONDS = 30
FUZZ_JOBS = 2
EXTRA_DIST += bench/fuzz.sh tests/fuzz/README tests/fuzz/fuzz.h tests/fuzz/run.sh \
	tests/fuzz/make-corpus.py tests/fuzz/json.dict tests/fuzz/http.dict \
	tests/fuzz/corpus

if ENABLE_FUZZING
FUZZ_LIBS = src/tui/libkvtui.a src/engine/libkvengine.a \
	src/azure/libkvazure.a src/base/libkvbase.a $(CURSES_LIBS) \
	$(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(LIBSECRET_LIBS) $(LIBINTL)
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
FUZZ_LINK = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

noinst_PROGRAMS += tests/fuzz/fuzz-arm
tests_fuzz_fuzz_arm_SOURCES = tests/fuzz/fuzz-arm.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_arm_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_arm_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_arm_LDADD = $(FUZZ_LIBS)

noinst_PROGRAMS += tests/fuzz/fuzz-secrets
tests_fuzz_fuzz_secrets_SOURCES = tests/fuzz/fuzz-secrets.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_secrets_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_secrets_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_secrets_LDADD = $(FUZZ_LIBS)

noinst_PROGRAMS += tests/fuzz/fuzz-lro
tests_fuzz_fuzz_lro_SOURCES = tests/fuzz/fuzz-lro.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_lro_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_lro_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_lro_LDADD = $(FUZZ_LIBS)

noinst_PROGRAMS += tests/fuzz/fuzz-challenge
tests_fuzz_fuzz_challenge_SOURCES = tests/fuzz/fuzz-challenge.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_challenge_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_challenge_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_challenge_LDADD = $(FUZZ_LIBS)

noinst_PROGRAMS += tests/fuzz/fuzz-url
tests_fuzz_fuzz_url_SOURCES = tests/fuzz/fuzz-url.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_url_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_url_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_url_LDADD = $(FUZZ_LIBS)

noinst_PROGRAMS += tests/fuzz/fuzz-token
tests_fuzz_fuzz_token_SOURCES = tests/fuzz/fuzz-token.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_token_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_token_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_token_LDADD = $(FUZZ_LIBS)

noinst_PROGRAMS += tests/fuzz/fuzz-http-header
tests_fuzz_fuzz_http_header_SOURCES = tests/fuzz/fuzz-http-header.c \
	tests/fuzz/fuzz.h
tests_fuzz_fuzz_http_header_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_http_header_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_http_header_LDADD = $(FUZZ_LIBS)

noinst_PROGRAMS += tests/fuzz/fuzz-cloud
tests_fuzz_fuzz_cloud_SOURCES = tests/fuzz/fuzz-cloud.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_cloud_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_cloud_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_cloud_LDADD = $(FUZZ_LIBS)

noinst_PROGRAMS += tests/fuzz/fuzz-config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz-config.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_config_CPPFLAGS = $(FUZZ_CPPFLAGS) $(CURSES_CFLAGS)
tests_fuzz_fuzz_config_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_config_LDADD = $(FUZZ_LIBS)

# The batch commands' tables and parser: kvdeck's sources but main().
noinst_PROGRAMS += tests/fuzz/fuzz-cli-args
tests_fuzz_fuzz_cli_args_SOURCES = tests/fuzz/fuzz-cli-args.c \
	tests/fuzz/fuzz.h $(CLI_SOURCES)
tests_fuzz_fuzz_cli_args_CPPFLAGS = $(FUZZ_CPPFLAGS) $(CURSES_CFLAGS)
tests_fuzz_fuzz_cli_args_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_cli_args_LDADD = $(FUZZ_LIBS)

if ENABLE_SIM
# kvdeck-sim's sources but main() (keep this list in step with
# src/sim/local.mk).
FUZZ_SIM_SOURCES = \
	src/sim/arm.c src/sim/arm-acl.c src/sim/arm-authz.c src/sim/arm-cog.c \
	src/sim/arm-deleted.c src/sim/arm-dns.c src/sim/arm-doc.c \
	src/sim/arm-graph.c src/sim/arm-graph-index.c \
	src/sim/arm-kind.c src/sim/arm-net.c src/sim/arm-pe.c \
	src/sim/arm-pec.c src/sim/arm-perm.c src/sim/arm-secret.c \
	src/sim/arm-sub.c src/sim/arm-vault.c src/sim/arm-vault-props.c \
	src/sim/auth.c src/sim/control.c src/sim/device.c src/sim/dp.c \
	src/sim/dp-secret.c src/sim/dp-secret-backup.c \
	src/sim/dp-secret-deleted.c src/sim/entra.c src/sim/entra-token.c \
	src/sim/entra-user.c src/sim/fault.c src/sim/files.c src/sim/graph.c \
	src/sim/http.c src/sim/imds.c src/sim/jwt.c src/sim/keys.c \
	src/sim/kql.c src/sim/kql-run.c src/sim/proxy.c src/sim/rbac.c \
	src/sim/openai.c src/sim/rbac-roles.c \
	src/sim/seed.c src/sim/skiplist.c src/sim/store.c src/sim/util.c
FUZZ_SIM_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(SSL_CFLAGS) \
	$(CRYPTO_CFLAGS) $(CJSON_CFLAGS)
FUZZ_SIM_LIBS = src/base/libkvbase.a $(MHD_LIBS) $(SSL_LIBS) \
	$(CRYPTO_LIBS) $(CJSON_LIBS) $(LIBINTL)

# kvdeck-sim's decoders
FUZZ_TARGETS += fuzz-sim
noinst_PROGRAMS += tests/fuzz/fuzz-sim
tests_fuzz_fuzz_sim_SOURCES = tests/fuzz/fuzz-sim.c tests/fuzz/fuzz.h \
	$(FUZZ_SIM_SOURCES)
tests_fuzz_fuzz_sim_CFLAGS = $(FUZZ_SIM_CFLAGS)
tests_fuzz_fuzz_sim_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_sim_LDADD = $(FUZZ_SIM_LIBS)

# kvdeck-sim's router and handlers, in-process over the demo seed
FUZZ_TARGETS += fuzz-sim-router
noinst_PROGRAMS += tests/fuzz/fuzz-sim-router
tests_fuzz_fuzz_sim_router_SOURCES = tests/fuzz/fuzz-sim-router.c \
	tests/fuzz/fuzz.h $(FUZZ_SIM_SOURCES)
tests_fuzz_fuzz_sim_router_CFLAGS = $(FUZZ_SIM_CFLAGS)
tests_fuzz_fuzz_sim_router_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_sim_router_LDADD = $(FUZZ_SIM_LIBS)
endif

check-fuzz: $(addprefix tests/fuzz/,$(FUZZ_TARGETS))
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_JOBS='$(FUZZ_JOBS)' \
	  $(SHELL) $(top_srcdir)/tests/fuzz/run.sh '$(abs_top_srcdir)' \
	  '$(abs_top_builddir)/tests/fuzz' $(FUZZ_TARGETS)
else
check-fuzz:
	@echo "make check-fuzz: the fuzz targets are not built here." >&2
	@echo "  Configure a separate build with libFuzzer (clang):" >&2
	@echo "    mkdir _build-fuzz && cd _build-fuzz &&" \
	  "../configure --enable-fuzzing CC=clang && make -j2 && make check-fuzz" >&2
	@exit 1
endif
.PHONY: check-fuzz
