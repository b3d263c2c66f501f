# tests/conformance.mk — the official-client conformance suite (included from
# tests/local.mk): Debian's az CLI, the Azure SDK for Python (python3-azure)
# and the Azure SDK for JavaScript (npm) run unchanged against a fresh
# kvdeck-sim. Not part of plain `make check`; run `make check-conformance`
# (.ci/run does, after tests/conformance/install.sh). A client that is not
# installed is reported as SKIP with the reason.
CONFORMANCE_TESTS = \
	tests/conformance/test-python.sh \
	tests/conformance/test-python-signin.sh \
	tests/conformance/test-js.sh \
	tests/conformance/test-js-signin.sh \
	tests/conformance/test-az.sh \
	tests/conformance/test-az-reuse.sh \
	tests/conformance/test-graph.sh \
	tests/conformance/test-cognitive.sh \
	tests/conformance/test-deviation.sh

EXTRA_DIST += $(CONFORMANCE_TESTS) \
	tests/conformance/lib.sh \
	tests/conformance/install.sh \
	tests/conformance/README \
	tests/conformance/az/sitecustomize.py \
	tests/conformance/python/scenario.py \
	tests/conformance/python/signin.py \
	tests/conformance/python/graph.py \
	tests/conformance/python/cognitive.py \
	tests/conformance/python/taprun.py \
	tests/conformance/js/.npmrc \
	tests/conformance/js/package.json \
	tests/conformance/js/package-lock.json \
	tests/conformance/js/scenario.mjs \
	tests/conformance/js/signin.mjs \
	bench/sim-throughput.sh

# Serial (-j1) so that the timings in the logs are each client's own; each
# script starts and stops its own simulator.
check-conformance: all
	@rm -f conformance-timings.txt
	@KVCONF_TIMINGS='$(abs_top_builddir)/conformance-timings.txt' \
		$(MAKE) $(AM_MAKEFLAGS) -j1 check TESTS='$(CONFORMANCE_TESTS)'; rc=$$?; \
	echo "conformance timings:"; cat conformance-timings.txt 2>/dev/null; exit $$rc
.PHONY: check-conformance
CLEANFILES += conformance-timings.txt
