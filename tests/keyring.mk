# tests/keyring.mk — the refresh-token keyring (engine/keyring.c), included
# from tests/local.mk: a unit test of the memory-only fallback (no bus),
# and test-keyring.sh against a real gnome-keyring in a private D-Bus
# session (skipped without dbus-run-session, gnome-keyring-daemon or
# secret-tool), which also checks `kvdeck logout`.
KEYRING_TEST_LIBS = src/engine/libkvengine.a src/base/libkvbase.a \
	$(LIBSECRET_LIBS) $(LIBINTL)

check_PROGRAMS += tests/keyring/test-keyring-memory tests/keyring/keyring-tool
tests_keyring_test_keyring_memory_SOURCES = \
	tests/keyring/test-keyring-memory.c
tests_keyring_test_keyring_memory_LDADD = $(KEYRING_TEST_LIBS)
tests_keyring_keyring_tool_SOURCES = tests/keyring/keyring-tool.c
tests_keyring_keyring_tool_LDADD = $(KEYRING_TEST_LIBS)

KEYRING_TESTS = tests/keyring/test-keyring-memory tests/keyring/test-keyring.sh
TESTS += $(KEYRING_TESTS)
EXTRA_DIST += tests/keyring/test-keyring.sh tests/keyring/lsan.supp
check-keyring:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(KEYRING_TESTS)'
.PHONY: check-keyring
