# src/engine/console.mk — the console's files in the engine library
# (included from src/engine/local.mk; owned by the console helper).
src_engine_libkvengine_a_SOURCES += \
	src/engine/demo.c src/engine/demo.h \
	src/engine/settings.c src/engine/settings.h \
	src/engine/store.c src/engine/store.h
