# src/cli/local.mk — the kvdeck program: the console (tui/) and the batch
# sub-commands (cli/) over the same engine.
bin_PROGRAMS += src/kvdeck
src_kvdeck_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS) $(CJSON_CFLAGS)
# The batch sub-commands; tests/fuzz/local.mk links the same list into
# fuzz-cli-args.
CLI_SOURCES = src/cli/cli.c src/cli/cli.h src/cli/cli-int.h \
	src/cli/cli-args.c src/cli/cli-attach.c src/cli/cli-doctor.c \
	src/cli/cli-endpoint.c src/cli/cli-expiring.c src/cli/cli-journal.c \
	src/cli/cli-login.c \
	src/cli/cli-logout.c src/cli/cli-network.c \
	src/cli/cli-output.c \
	src/cli/cli-plan.c src/cli/cli-run.c src/cli/cli-secret.c \
	src/cli/cli-secret-arm.c src/cli/cli-secret-write.c src/cli/cli-value.c \
	src/cli/cli-secret-source.c \
	src/cli/cli-vault.c src/cli/cli-vault-write.c src/cli/cli-whoami.c
src_kvdeck_SOURCES = src/kvdeck.c $(CLI_SOURCES)
if WIPEFREE
# every heap block zeroed before glibc gets it back (src/base/wipefree.c)
src_kvdeck_SOURCES += src/base/wipefree.c
endif
src_kvdeck_LDADD = src/tui/libkvtui.a src/engine/libkvengine.a \
	src/azure/libkvazure.a src/base/libkvbase.a \
	$(CURSES_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) \
	$(LIBSECRET_LIBS) $(LIBINTL)
