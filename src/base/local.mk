# src/base/local.mk — base/: no third-party dependencies.
noinst_LIBRARIES += src/base/libkvbase.a
src_base_libkvbase_a_SOURCES = \
	src/base/buf.c src/base/buf.h \
	src/base/i18n.h \
	src/base/jsonflat.c src/base/jsonflat.h \
	src/base/log.c src/base/log.h \
	src/base/secmem.c src/base/secmem.h \
	src/base/status.c src/base/status.h \
	src/base/str.c src/base/str.h \
	src/base/timeutil.c src/base/timeutil.h \
	src/base/vec.c src/base/vec.h \
	src/base/wipealloc.c src/base/wipealloc.h \
	src/base/xalloc.c src/base/xalloc.h
