# bench/local.mk — benchmarks (not run by make check).
EXTRA_DIST += bench/RESULTS.md
# bench/lib.sh: what the kvdeck-against-az benchmarks share
EXTRA_DIST += bench/lib.sh
# bench/console.sh: the console against kvdeck-sim's scale seed (issue #4)
EXTRA_DIST += bench/console.sh bench/console-screen.py bench/console-cg.py
# bench/console-rows.sh: bytes per listed secret and instructions per
# scrolling key press at 100,000 rows (issue #12)
EXTRA_DIST += bench/console-rows.sh
# bench/console-startup.sh: the console's start-up alone, two builds
# alternated run by run, optionally under callgrind (issue #12)
EXTRA_DIST += bench/console-startup.sh
# bench/rotation.sh: a secret rotation by kvdeck, az rest and the Python
# SDK against kvdeck-sim with latency, and the CPU time of a key press in
# a wizard form (bench/form-keys, built only on demand: make bench-form)
EXTRA_DIST += bench/rotation.sh bench/rotation-sdk.py
# bench/vault-create.sh: a new RBAC vault until its data plane answers,
# kvdeck against az, against kvdeck-sim with latency and delays (issue #9)
EXTRA_DIST += bench/vault-create.sh
# bench/attach.sh: a private endpoint until its connection is Approved,
# kvdeck against az, against kvdeck-sim with latency (issue #10)
EXTRA_DIST += bench/attach.sh
# bench/sim-kill.sh: kvdeck-sim killed 100 times under write load (#11)
EXTRA_DIST += bench/sim-kill.sh
# bench/expiring.sh: kvdeck secret expiring across 200 vaults with
# latency, against the largest vault's page floor (issue #12)
EXTRA_DIST += bench/expiring.sh
# bench/wipefree.sh: what the process-wide wiping free() costs (#11)
EXTRA_DIST += bench/wipefree.sh
EXTRA_PROGRAMS = bench/form-keys
bench_form_keys_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS)
bench_form_keys_SOURCES = bench/form-keys.c
bench_form_keys_LDADD = src/tui/libkvtui.a src/engine/libkvengine.a \
	src/azure/libkvazure.a src/base/libkvbase.a $(CURSES_LIBS) \
	$(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(LIBSECRET_LIBS) $(LIBINTL)
CLEANFILES += bench/form-keys$(EXEEXT)
bench-form: bench/form-keys$(EXEEXT)
.PHONY: bench-form
# bench/graph.sh: 1,000 subscriptions x 5 vaults from Resource Graph, per
# subscription and with az rest (issue #12)
EXTRA_DIST += bench/graph.sh
