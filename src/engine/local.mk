# src/engine/local.mk — build list for the engine layer: the worker
# thread, its queues, jobs/results and the model the UI reads.
# (store.*, settings.* and demo.* belong to the console: console.mk.)
noinst_LIBRARIES += src/engine/libkvengine.a
src_engine_libkvengine_a_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS) \
	$(CJSON_CFLAGS) $(CRYPTO_CFLAGS) $(LIBSECRET_CFLAGS)
src_engine_libkvengine_a_SOURCES = \
	src/engine/engine.c src/engine/engine.h \
	src/engine/engine-identity.c \
	src/engine/signin.c src/engine/signin.h \
	src/engine/job.c src/engine/job.h \
	src/engine/job-read.c src/engine/job-vault.c \
	src/engine/job-doctor.c src/engine/job-doctor-local.c \
	src/engine/job-doctor-int.h src/engine/doctor.h \
	src/engine/journal.c src/engine/journal.h \
	src/engine/model.h \
	src/engine/plan.c src/engine/plan.h src/engine/plan-impl.h \
	src/engine/plan-run.c \
	src/engine/plan-secret.c src/engine/plan-secret-ops.c \
	src/engine/plan-source.c src/engine/plan-source.h \
	src/engine/job-cognitive.c \
	src/engine/plan-source-ops.c src/engine/plan-source-int.h \
	src/engine/plan-secret-life.c \
	src/engine/plan-vault.c src/engine/plan-vault-ops.c \
	src/engine/plan-vault-wait.c \
	src/engine/queue.c src/engine/queue.h \
	src/engine/run.h \
	src/engine/worker.c src/engine/worker.h

# Refresh tokens: the keyring (the only file with libsecret/GLib; linked
# with $(LIBSECRET_LIBS) by every program that uses the engine) and the
# glue to the credentials.
src_engine_libkvengine_a_SOURCES += \
	src/engine/keyring.c src/engine/keyring.h \
	src/engine/tokens.c

# One session setup for the console and the batch commands; values from
# --generate for the front ends.
src_engine_libkvengine_a_SOURCES += \
	src/engine/session.c src/engine/session.h \
	src/engine/generate.c src/engine/generate.h

# The console helper's engine files (store, settings, demo).
include src/engine/console.mk

# The vault's network (issue #10): its read jobs, the DNS check and the
# endpoint connections completed from their endpoints.
src_engine_libkvengine_a_SOURCES += \
	src/engine/job-network.c src/engine/job-dns.c \
	src/engine/job-endpoints.c

# The vault's network plans (issue #10): network edits, endpoint
# connections, attach, and secrets written through Resource Manager.
src_engine_libkvengine_a_SOURCES += \
	src/engine/plan-network.c src/engine/plan-network-ops.c \
	src/engine/plan-attach.c src/engine/plan-attach-ops.c \
	src/engine/plan-attach-wait.c src/engine/dns-lookup.c \
	src/engine/dns-lookup.h \
	src/engine/plan-secret-arm.c src/engine/plan-secret-arm-ops.c

# Tenant-wide lists from Azure Resource Graph (issue #12): the job, and
# the store's side of it (threshold, fallback, own writes over the index).
src_engine_libkvengine_a_SOURCES += \
	src/engine/graph.h src/engine/job-graph.c \
	src/engine/store-graph.c src/engine/store-int.h

# Expiring secrets across the tenant (issue #12): the rows and their
# rules, and the scan that lists every vault a few at a time.
src_engine_libkvengine_a_SOURCES += \
	src/engine/expiring.c src/engine/expiring.h \
	src/engine/job-expiring.c
