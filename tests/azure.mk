# tests/azure.mk — tests for the azure part (included from tests/local.mk):
# unit tests of the azure/ library (pure), the cassette replay, and the
# worker/transport tests that talk HTTPS to tests/tools/kvtest-server.py.

AZ_TEST_INC = $(AM_CPPFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) \
	$(CRYPTO_CFLAGS)
AZ_TEST_LIBS = src/azure/libkvazure.a src/base/libkvbase.a \
	$(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(LIBINTL)
ENGINE_TEST_LIBS = src/engine/libkvengine.a $(AZ_TEST_LIBS)

EXTRA_DIST += tests/tools/kvtest-server.py tests/tools/cassette-bodies.py

# ---- pure unit tests ------------------------------------------------------
check_PROGRAMS += tests/unit/test-azure-cloud tests/unit/test-azure-retry \
	tests/unit/test-azure-decode
TESTS += tests/unit/test-azure-cloud tests/unit/test-azure-retry \
	tests/unit/test-azure-decode
tests_unit_test_azure_cloud_SOURCES = tests/unit/test-azure-cloud.c
tests_unit_test_azure_cloud_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_cloud_LDADD = $(AZ_TEST_LIBS)
tests_unit_test_azure_retry_SOURCES = tests/unit/test-azure-retry.c
tests_unit_test_azure_retry_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_retry_LDADD = $(AZ_TEST_LIBS)
tests_unit_test_azure_decode_SOURCES = tests/unit/test-azure-decode.c
tests_unit_test_azure_decode_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_decode_LDADD = $(AZ_TEST_LIBS)

# ---- replay of the recorded traffic ----------------------------------------
check_PROGRAMS += tests/unit/test-azure-replay
TESTS += tests/unit/test-azure-replay
tests_unit_test_azure_replay_SOURCES = tests/unit/test-azure-replay.c
tests_unit_test_azure_replay_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_replay_LDADD = $(AZ_TEST_LIBS)
