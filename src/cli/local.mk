# src/cli/local.mk — batch sub-commands and the kvdeck program.
bin_PROGRAMS += src/kvdeck
src_kvdeck_SOURCES = src/kvdeck.c
src_kvdeck_LDADD = src/base/libkvbase.a $(LIBINTL)
