# src/sim/local.mk — kvdeck-sim, the local Azure (needs libmicrohttpd).
if ENABLE_SIM
bin_PROGRAMS += src/sim/kvdeck-sim
src_sim_kvdeck_sim_SOURCES = \
	src/sim/arm.c src/sim/arm.h \
	src/sim/arm-acl.c \
	src/sim/arm-authz.c \
	src/sim/arm-cog.c src/sim/cog.h \
	src/sim/arm-deleted.c \
	src/sim/arm-dns.c \
	src/sim/arm-doc.c src/sim/arm-doc.h \
	src/sim/arm-graph.c src/sim/arm-graph.h src/sim/arm-graph-index.c \
	src/sim/arm-kind.c src/sim/arm-kind.h \
	src/sim/arm-net.c src/sim/arm-net.h \
	src/sim/arm-pe.c \
	src/sim/arm-pec.c \
	src/sim/arm-perm.c src/sim/arm-perm.h \
	src/sim/arm-secret.c \
	src/sim/arm-sub.c \
	src/sim/arm-vault.c src/sim/arm-vault-props.c \
	src/sim/auth.c src/sim/auth.h \
	src/sim/control.c src/sim/control.h \
	src/sim/device.c src/sim/device.h \
	src/sim/dp.c src/sim/dp.h \
	src/sim/dp-secret.c src/sim/dp-secret.h \
	src/sim/dp-secret-backup.c \
	src/sim/dp-secret-deleted.c \
	src/sim/entra.c src/sim/entra.h \
	src/sim/entra-token.c \
	src/sim/entra-user.c \
	src/sim/fault.c src/sim/fault.h \
	src/sim/files.c src/sim/files.h \
	src/sim/graph.c \
	src/sim/http.c src/sim/http.h \
	src/sim/imds.c \
	src/sim/jwt.c src/sim/jwt.h \
	src/sim/keys.c src/sim/keys.h \
	src/sim/kql.c src/sim/kql.h src/sim/kql-int.h src/sim/kql-run.c \
	src/sim/main.c \
	src/sim/openai.c \
	src/sim/proxy.c src/sim/proxy.h \
	src/sim/rbac.c src/sim/rbac.h src/sim/rbac-roles.c \
	src/sim/seed.c src/sim/seed.h \
	src/sim/sim.h \
	src/sim/skiplist.c src/sim/skiplist.h \
	src/sim/store.c src/sim/store.h \
	src/sim/util.c src/sim/util.h
src_sim_kvdeck_sim_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(SSL_CFLAGS) \
	$(CRYPTO_CFLAGS) $(CJSON_CFLAGS)
src_sim_kvdeck_sim_LDADD = src/base/libkvbase.a $(MHD_LIBS) $(SSL_LIBS) \
	$(CRYPTO_LIBS) $(CJSON_LIBS) $(LIBINTL)
endif
dist_man_MANS += man/kvdeck-sim.1
