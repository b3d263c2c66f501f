# src/cli/local.mk — the kvdeck program (console now, batch sub-commands
# later).
bin_PROGRAMS += src/kvdeck
src_kvdeck_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS)
src_kvdeck_SOURCES = src/kvdeck.c
src_kvdeck_LDADD = src/tui/libkvtui.a src/engine/libkvengine.a \
	src/azure/libkvazure.a src/base/libkvbase.a \
	$(CURSES_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) \
	$(LIBSECRET_LIBS) $(LIBINTL)
