# tests/tui.mk — tests for the console (included from tests/local.mk).

# Pure pieces of the console.
check_PROGRAMS += tests/tui/test-widgets
tests_tui_test_widgets_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS)
tests_tui_test_widgets_SOURCES = tests/tui/test-widgets.c
tests_tui_test_widgets_LDADD = src/tui/libkvtui.a src/base/libkvbase.a \
	$(CURSES_LIBS) $(LIBINTL)
TESTS += tests/tui/test-widgets

# The configuration file.
check_PROGRAMS += tests/tui/test-settings
tests_tui_test_settings_SOURCES = tests/tui/test-settings.c \
	src/engine/settings.c
tests_tui_test_settings_LDADD = src/base/libkvbase.a $(LIBINTL)
TESTS += tests/tui/test-settings

