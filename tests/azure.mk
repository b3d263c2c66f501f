# tests/azure.mk — tests for the azure part (included from tests/local.mk):
# unit tests of the azure/ library (pure), the cassette replay, and the
# worker/transport tests that talk HTTPS to tests/tools/kvtest-server.py.

AZ_TEST_INC = $(AM_CPPFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) \
	$(CRYPTO_CFLAGS)
AZ_TEST_LIBS = src/azure/libkvazure.a src/base/libkvbase.a \
	$(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(LIBINTL)
ENGINE_TEST_LIBS = src/engine/libkvengine.a $(AZ_TEST_LIBS) $(LIBSECRET_LIBS)

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
check_PROGRAMS += tests/unit/test-azure-network
TESTS += tests/unit/test-azure-network
tests_unit_test_azure_network_SOURCES = tests/unit/test-azure-network.c
tests_unit_test_azure_network_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_network_LDADD = $(AZ_TEST_LIBS)
check_PROGRAMS += tests/unit/test-azure-graph
TESTS += tests/unit/test-azure-graph
tests_unit_test_azure_graph_SOURCES = tests/unit/test-azure-graph.c
tests_unit_test_azure_graph_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_graph_LDADD = $(AZ_TEST_LIBS)
check_PROGRAMS += tests/unit/test-azure-write
TESTS += tests/unit/test-azure-write
tests_unit_test_azure_write_SOURCES = tests/unit/test-azure-write.c
tests_unit_test_azure_write_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_write_LDADD = $(AZ_TEST_LIBS)
check_PROGRAMS += tests/unit/test-azure-generate
TESTS += tests/unit/test-azure-generate
tests_unit_test_azure_generate_SOURCES = tests/unit/test-azure-generate.c
tests_unit_test_azure_generate_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_generate_LDADD = $(AZ_TEST_LIBS) -lm
check_PROGRAMS += tests/unit/test-azure-lro
TESTS += tests/unit/test-azure-lro
tests_unit_test_azure_lro_SOURCES = tests/unit/test-azure-lro.c
tests_unit_test_azure_lro_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_lro_LDADD = $(AZ_TEST_LIBS)
check_PROGRAMS += tests/unit/test-azure-auth tests/unit/test-engine-queue
TESTS += tests/unit/test-azure-auth tests/unit/test-engine-queue
tests_unit_test_azure_auth_SOURCES = tests/unit/test-azure-auth.c
tests_unit_test_azure_auth_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_auth_LDADD = $(AZ_TEST_LIBS)
tests_unit_test_engine_queue_SOURCES = tests/unit/test-engine-queue.c
tests_unit_test_engine_queue_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_engine_queue_LDADD = $(ENGINE_TEST_LIBS)

check_PROGRAMS += tests/unit/test-azure-mi
TESTS += tests/unit/test-azure-mi
tests_unit_test_azure_mi_SOURCES = tests/unit/test-azure-mi.c
tests_unit_test_azure_mi_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_mi_LDADD = $(AZ_TEST_LIBS)

check_PROGRAMS += tests/unit/test-azure-device
TESTS += tests/unit/test-azure-device
tests_unit_test_azure_device_SOURCES = tests/unit/test-azure-device.c
tests_unit_test_azure_device_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_device_LDADD = $(AZ_TEST_LIBS)

# ---- replay of the recorded traffic ----------------------------------------
check_PROGRAMS += tests/unit/test-azure-replay
TESTS += tests/unit/test-azure-replay
tests_unit_test_azure_replay_SOURCES = tests/unit/test-azure-replay.c
tests_unit_test_azure_replay_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_replay_LDADD = $(AZ_TEST_LIBS)

# ---- worker and transport tests (HTTPS against kvtest-server.py) ----------
# These also run alone under ThreadSanitizer (make check-worker).
WORKER_TOOLS = tests/tools/testserver.c tests/tools/testserver.h \
	tests/tools/enginetest.c tests/tools/enginetest.h \
	tests/tools/simproc.c tests/tools/simproc.h
check_PROGRAMS += tests/unit/test-worker-engine
TESTS += tests/unit/test-worker-engine
WORKER_TESTS += tests/unit/test-worker-engine
tests_unit_test_worker_engine_SOURCES = tests/unit/test-worker-engine.c \
	$(WORKER_TOOLS)
tests_unit_test_worker_engine_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_worker_engine_LDADD = $(ENGINE_TEST_LIBS)
check_PROGRAMS += tests/unit/test-worker-faults tests/unit/test-worker-parallel
TESTS += tests/unit/test-worker-faults tests/unit/test-worker-parallel
WORKER_TESTS += tests/unit/test-worker-faults tests/unit/test-worker-parallel
tests_unit_test_worker_faults_SOURCES = tests/unit/test-worker-faults.c \
	$(WORKER_TOOLS)
tests_unit_test_worker_faults_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_worker_faults_LDADD = $(ENGINE_TEST_LIBS)
tests_unit_test_worker_parallel_SOURCES = tests/unit/test-worker-parallel.c \
	$(WORKER_TOOLS)
tests_unit_test_worker_parallel_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_worker_parallel_LDADD = $(ENGINE_TEST_LIBS)
check_PROGRAMS += tests/unit/test-worker-http
TESTS += tests/unit/test-worker-http
WORKER_TESTS += tests/unit/test-worker-http
tests_unit_test_worker_http_SOURCES = tests/unit/test-worker-http.c \
	tests/tools/testserver.c tests/tools/testserver.h
tests_unit_test_worker_http_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_worker_http_LDADD = $(AZ_TEST_LIBS)
# the Key Vault challenges: another tenant, claims (az_client alone)
check_PROGRAMS += tests/unit/test-worker-challenge
TESTS += tests/unit/test-worker-challenge
WORKER_TESTS += tests/unit/test-worker-challenge
tests_unit_test_worker_challenge_SOURCES = tests/unit/test-worker-challenge.c \
	tests/tools/testserver.c tests/tools/testserver.h
tests_unit_test_worker_challenge_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_worker_challenge_LDADD = $(AZ_TEST_LIBS)
# the azure write operations (az_client alone, no engine)
check_PROGRAMS += tests/unit/test-worker-secrets
TESTS += tests/unit/test-worker-secrets
WORKER_TESTS += tests/unit/test-worker-secrets
tests_unit_test_worker_secrets_SOURCES = tests/unit/test-worker-secrets.c \
	tests/tools/testserver.c tests/tools/testserver.h
tests_unit_test_worker_secrets_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_worker_secrets_LDADD = $(AZ_TEST_LIBS)
check_PROGRAMS += tests/unit/test-worker-lro
TESTS += tests/unit/test-worker-lro
WORKER_TESTS += tests/unit/test-worker-lro
tests_unit_test_worker_lro_SOURCES = tests/unit/test-worker-lro.c \
	tests/tools/testserver.c tests/tools/testserver.h
tests_unit_test_worker_lro_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_worker_lro_LDADD = $(AZ_TEST_LIBS)

# ---- the engine against kvdeck-sim (also under TSan) -------------------------
# Built without the sim too: KVDECK_SIM names a simulator built elsewhere
# (the TSan build's), and without one the test skips.
check_PROGRAMS += tests/unit/test-engine-sim
TESTS += tests/unit/test-engine-sim
WORKER_TESTS += tests/unit/test-engine-sim
tests_unit_test_engine_sim_SOURCES = tests/unit/test-engine-sim.c \
	$(WORKER_TOOLS)
tests_unit_test_engine_sim_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_engine_sim_LDADD = $(ENGINE_TEST_LIBS)

# The network jobs of issue #10 against the sim's demo seed.
check_PROGRAMS += tests/unit/test-engine-network
TESTS += tests/unit/test-engine-network
WORKER_TESTS += tests/unit/test-engine-network
tests_unit_test_engine_network_SOURCES = tests/unit/test-engine-network.c \
	$(WORKER_TOOLS)
tests_unit_test_engine_network_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_engine_network_LDADD = $(ENGINE_TEST_LIBS)

# The expiring-secrets scan (issue #12): its rules, and the fan-out over
# kvdeck-sim's vaults with a 429 in the middle.
check_PROGRAMS += tests/unit/test-engine-expiring
TESTS += tests/unit/test-engine-expiring
WORKER_TESTS += tests/unit/test-engine-expiring
tests_unit_test_engine_expiring_SOURCES = tests/unit/test-engine-expiring.c \
	$(WORKER_TOOLS)
tests_unit_test_engine_expiring_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_engine_expiring_LDADD = $(ENGINE_TEST_LIBS)

# A big tenant's subscription list after its first page from Resource
# Graph (issue #12), its dedup, and nextLink when Resource Graph refuses.
check_PROGRAMS += tests/unit/test-engine-subs-graph
TESTS += tests/unit/test-engine-subs-graph
WORKER_TESTS += tests/unit/test-engine-subs-graph
tests_unit_test_engine_subs_graph_SOURCES = \
	tests/unit/test-engine-subs-graph.c $(WORKER_TOOLS)
tests_unit_test_engine_subs_graph_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_engine_subs_graph_LDADD = $(ENGINE_TEST_LIBS)

# ---- plans against kvdeck-sim (also under TSan: make check-worker) -------
# Built without the sim too: KVDECK_SIM names a simulator built elsewhere
# (the TSan build's), and without one the test skips.
check_PROGRAMS += tests/unit/test-plan-sim
TESTS += tests/unit/test-plan-sim
WORKER_TESTS += tests/unit/test-plan-sim
tests_unit_test_plan_sim_SOURCES = tests/unit/test-plan-sim.c \
	$(WORKER_TOOLS)
tests_unit_test_plan_sim_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_plan_sim_LDADD = $(ENGINE_TEST_LIBS)

# ---- file descriptors in the transport's loop (no network) -----------------
check_PROGRAMS += tests/unit/test-http-watch
TESTS += tests/unit/test-http-watch
WORKER_TESTS += tests/unit/test-http-watch
tests_unit_test_http_watch_SOURCES = tests/unit/test-http-watch.c
tests_unit_test_http_watch_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_http_watch_LDADD = $(AZ_TEST_LIBS)

# ---- the vault plans as data (no network) and against kvdeck-sim --------
check_PROGRAMS += tests/unit/test-plan-vault tests/unit/test-plan-vault-sim
TESTS += tests/unit/test-plan-vault tests/unit/test-plan-vault-sim
WORKER_TESTS += tests/unit/test-plan-vault tests/unit/test-plan-vault-sim
tests_unit_test_plan_vault_SOURCES = tests/unit/test-plan-vault.c
tests_unit_test_plan_vault_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_plan_vault_LDADD = $(ENGINE_TEST_LIBS)
tests_unit_test_plan_vault_sim_SOURCES = tests/unit/test-plan-vault-sim.c \
	$(WORKER_TOOLS)
tests_unit_test_plan_vault_sim_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_plan_vault_sim_LDADD = $(ENGINE_TEST_LIBS)

# ---- the network plans (#10) as data and against kvdeck-sim ---------------
check_PROGRAMS += tests/unit/test-plan-network tests/unit/test-plan-network-sim
TESTS += tests/unit/test-plan-network tests/unit/test-plan-network-sim
WORKER_TESTS += tests/unit/test-plan-network tests/unit/test-plan-network-sim
tests_unit_test_plan_network_SOURCES = tests/unit/test-plan-network.c
tests_unit_test_plan_network_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_plan_network_LDADD = $(ENGINE_TEST_LIBS)
tests_unit_test_plan_network_sim_SOURCES = \
	tests/unit/test-plan-network-sim.c $(WORKER_TOOLS)
tests_unit_test_plan_network_sim_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_plan_network_sim_LDADD = $(ENGINE_TEST_LIBS)

# ---- plans and the journal as data (no network) ----------------------------
check_PROGRAMS += tests/unit/test-plan
TESTS += tests/unit/test-plan
WORKER_TESTS += tests/unit/test-plan
tests_unit_test_plan_SOURCES = tests/unit/test-plan.c
tests_unit_test_plan_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_plan_LDADD = $(ENGINE_TEST_LIBS)

# ---- no credential or value in ordinary memory (issue #11) ------------------
check_PROGRAMS += tests/unit/test-secret-memory
TESTS += tests/unit/test-secret-memory
WORKER_TESTS += tests/unit/test-secret-memory
tests_unit_test_secret_memory_SOURCES = tests/unit/test-secret-memory.c \
	tests/tools/memscan.c tests/tools/memscan.h $(WORKER_TOOLS)
tests_unit_test_secret_memory_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_secret_memory_LDADD = $(ENGINE_TEST_LIBS)

# The wiping allocator and its hooks in OpenSSL and cJSON.
check_PROGRAMS += tests/unit/test-wipealloc
TESTS += tests/unit/test-wipealloc
tests_unit_test_wipealloc_SOURCES = tests/unit/test-wipealloc.c \
	tests/tools/memscan.c tests/tools/memscan.h
tests_unit_test_wipealloc_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_wipealloc_LDADD = $(AZ_TEST_LIBS)

# The same over HTTP/2 (nghttpx in front of the sim), and the process-wide
# wiping free() that clears nghttp2's buffers (src/base/wipefree.c: not in
# the sanitizer builds, whose runtimes own free(); the ASan build fills
# freed blocks with zeros instead, see test-secret-memory.c).
check_PROGRAMS += tests/unit/test-secret-memory-h2
TESTS += tests/unit/test-secret-memory-h2
tests_unit_test_secret_memory_h2_SOURCES = tests/unit/test-secret-memory.c \
	tests/tools/memscan.c tests/tools/memscan.h \
	tests/tools/h2front.c tests/tools/h2front.h $(WORKER_TOOLS)
tests_unit_test_secret_memory_h2_CPPFLAGS = $(AZ_TEST_INC) -DSECRET_MEMORY_H2=1
tests_unit_test_secret_memory_h2_LDADD = $(ENGINE_TEST_LIBS)
if WIPEFREE
tests_unit_test_secret_memory_SOURCES += src/base/wipefree.c
tests_unit_test_secret_memory_h2_SOURCES += src/base/wipefree.c
check_PROGRAMS += tests/unit/test-wipefree
TESTS += tests/unit/test-wipefree
tests_unit_test_wipefree_SOURCES = tests/unit/test-wipefree.c \
	src/base/wipefree.c tests/tools/memscan.c tests/tools/memscan.h
tests_unit_test_wipefree_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_wipefree_LDADD = $(AZ_TEST_LIBS)
endif

# `secret show --show-value`: the value never in stdio's buffer.
check_PROGRAMS += tests/unit/test-cli-value-out
TESTS += tests/unit/test-cli-value-out
tests_unit_test_cli_value_out_SOURCES = tests/unit/test-cli-value-out.c \
	src/cli/cli-output.c tests/tools/memscan.c tests/tools/memscan.h
tests_unit_test_cli_value_out_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_cli_value_out_LDADD = $(ENGINE_TEST_LIBS) $(LIBINTL)

# ---- AI services accounts (#13): decoders, and the ops against kvdeck-sim
check_PROGRAMS += tests/unit/test-azure-cognitive \
	tests/unit/test-azure-cognitive-sim
TESTS += tests/unit/test-azure-cognitive tests/unit/test-azure-cognitive-sim
tests_unit_test_azure_cognitive_SOURCES = tests/unit/test-azure-cognitive.c
tests_unit_test_azure_cognitive_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_cognitive_LDADD = $(AZ_TEST_LIBS)
tests_unit_test_azure_cognitive_sim_SOURCES = \
	tests/unit/test-azure-cognitive-sim.c $(WORKER_TOOLS)
tests_unit_test_azure_cognitive_sim_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_azure_cognitive_sim_LDADD = $(ENGINE_TEST_LIBS)
check_PROGRAMS += tests/unit/test-plan-source
TESTS += tests/unit/test-plan-source
tests_unit_test_plan_source_SOURCES = tests/unit/test-plan-source.c
tests_unit_test_plan_source_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_plan_source_LDADD = $(ENGINE_TEST_LIBS)
check_PROGRAMS += tests/unit/test-plan-source-sim
TESTS += tests/unit/test-plan-source-sim
WORKER_TESTS += tests/unit/test-plan-source-sim
tests_unit_test_plan_source_sim_SOURCES = tests/unit/test-plan-source-sim.c \
	$(WORKER_TOOLS)
tests_unit_test_plan_source_sim_CPPFLAGS = $(AZ_TEST_INC)
tests_unit_test_plan_source_sim_LDADD = $(ENGINE_TEST_LIBS)
