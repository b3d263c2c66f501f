# tests/tui.mk — tests for the console (included from tests/local.mk).

# Pure pieces of the console.
check_PROGRAMS += tests/tui/test-widgets
tests_tui_test_widgets_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS)
tests_tui_test_widgets_SOURCES = tests/tui/test-widgets.c
tests_tui_test_widgets_LDADD = src/tui/libkvtui.a src/base/libkvbase.a \
	$(CURSES_LIBS) $(LIBINTL)
TESTS += tests/tui/test-widgets

# The modal screens, drawn by curses into memory.
check_PROGRAMS += tests/tui/test-screens
tests_tui_test_screens_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS)
tests_tui_test_screens_SOURCES = tests/tui/test-screens.c
tests_tui_test_screens_LDADD = src/tui/libkvtui.a src/engine/libkvengine.a \
	src/azure/libkvazure.a src/base/libkvbase.a $(CURSES_LIBS) \
	$(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(LIBSECRET_LIBS) $(LIBINTL)
TESTS += tests/tui/test-screens

# The wizards' pure pieces (value sources, dates, tags, default expiry).
check_PROGRAMS += tests/tui/test-wizard-value
tests_tui_test_wizard_value_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS)
tests_tui_test_wizard_value_SOURCES = tests/tui/test-wizard-value.c
tests_tui_test_wizard_value_LDADD = src/tui/libkvtui.a \
	src/engine/libkvengine.a src/azure/libkvazure.a src/base/libkvbase.a \
	$(CURSES_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) \
	$(LIBSECRET_LIBS) $(LIBINTL)
TESTS += tests/tui/test-wizard-value

# The secret actions' pure pieces: dates, the 403 sentence.
check_PROGRAMS += tests/tui/test-actions
tests_tui_test_actions_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS)
tests_tui_test_actions_SOURCES = tests/tui/test-actions.c
tests_tui_test_actions_LDADD = src/tui/libkvtui.a src/engine/libkvengine.a \
	src/azure/libkvazure.a src/base/libkvbase.a $(CURSES_LIBS) \
	$(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(LIBSECRET_LIBS) $(LIBINTL)
TESTS += tests/tui/test-actions

# The configuration file.
check_PROGRAMS += tests/tui/test-settings
tests_tui_test_settings_SOURCES = tests/tui/test-settings.c \
	src/engine/settings.c
tests_tui_test_settings_LDADD = src/azure/libkvazure.a src/base/libkvbase.a \
	$(LIBINTL)
TESTS += tests/tui/test-settings

# The console on a fake engine with generated data (no simulator needed).
check_PROGRAMS += tests/tui/kvdeck-fake
tests_tui_kvdeck_fake_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS)
tests_tui_kvdeck_fake_SOURCES = tests/tui/kvdeck-fake.c \
	tests/tui/fake-engine.c
tests_tui_kvdeck_fake_LDADD = src/tui/libkvtui.a src/engine/libkvengine.a \
	src/azure/libkvazure.a src/base/libkvbase.a $(CURSES_LIBS) \
	$(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(LIBSECRET_LIBS) $(LIBINTL)

# The resource store.
check_PROGRAMS += tests/tui/test-store
tests_tui_test_store_SOURCES = tests/tui/test-store.c
tests_tui_test_store_LDADD = src/engine/libkvengine.a src/azure/libkvazure.a \
	src/base/libkvbase.a $(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) \
	$(LIBSECRET_LIBS) $(LIBINTL)
TESTS += tests/tui/test-store

# What a listed secret costs the store (issue #12).
check_PROGRAMS += tests/tui/test-store-footprint
tests_tui_test_store_footprint_SOURCES = tests/tui/test-store-footprint.c
tests_tui_test_store_footprint_LDADD = src/engine/libkvengine.a \
	src/azure/libkvazure.a src/base/libkvbase.a $(CURL_LIBS) $(CJSON_LIBS) \
	$(CRYPTO_LIBS) $(LIBSECRET_LIBS) $(LIBINTL)
TESTS += tests/tui/test-store-footprint
# The store's vault lists from Azure Resource Graph (#12).
check_PROGRAMS += tests/tui/test-store-graph
tests_tui_test_store_graph_SOURCES = tests/tui/test-store-graph.c
tests_tui_test_store_graph_LDADD = $(tests_tui_test_store_LDADD)
TESTS += tests/tui/test-store-graph

# Screen tests: the real console in tmux (skipped without tmux).
EXTRA_DIST += tests/tui/screen-lib.sh
TESTS += tests/tui/test-screen-fake.sh tests/tui/test-screen-demo.sh \
	tests/tui/test-screen-faults.sh tests/tui/test-screen-german.sh \
	tests/tui/test-screen-signals.sh tests/tui/test-screen-vault.sh \
	tests/tui/test-screen-modal.sh tests/tui/test-screen-secret-delete.sh \
	tests/tui/test-screen-secret-edit.sh tests/tui/test-screen-readonly.sh \
	tests/tui/test-screen-pending.sh
# A scrolling key draws only what changed, and the same as a redraw (#12).
TESTS += tests/tui/test-screen-scroll.sh
EXTRA_DIST += tests/tui/test-screen-scroll.sh tests/tui/screen-cells.py
TESTS += tests/tui/test-screen-paint.sh
EXTRA_DIST += tests/tui/test-screen-paint.sh tests/tui/paint-lib.sh
TESTS += tests/tui/test-screen-paint-bytes.sh
EXTRA_DIST += tests/tui/test-screen-paint-bytes.sh
# R on a secret holding an AI services account's key: rotation at the
# source (#13).
TESTS += tests/tui/test-screen-rotate-source.sh
EXTRA_DIST += tests/tui/test-screen-rotate-source.sh
TESTS += tests/tui/test-screen-rotate-pick.sh
EXTRA_DIST += tests/tui/test-screen-rotate-pick.sh
# :tenant against the demo's second tenant (not in TESTS yet: the demo's
# ADFS-style cloud sends every token request to /adfs/oauth2/token, so
# the switch cannot reach the second tenant; see issue #8)
TESTS += tests/tui/test-screen-tenant.sh
EXTRA_DIST += tests/tui/test-screen-tenant.sh
EXTRA_DIST += tests/tui/simtui.py tests/tui/test-screen-secret-delete.sh \
	tests/tui/test-screen-secret-edit.sh tests/tui/test-screen-readonly.sh \
	tests/tui/test-screen-pending.sh
EXTRA_DIST += tests/tui/test-screen-fake.sh tests/tui/test-screen-demo.sh \
	tests/tui/test-screen-faults.sh tests/tui/test-screen-german.sh \
	tests/tui/test-screen-signals.sh tests/tui/test-screen-vault.sh \
	tests/tui/test-screen-modal.sh

# The value-writing wizards against kvdeck-sim (tmux, python3).
EXTRA_DIST += tests/tui/wizard-lib.sh tests/tui/demo-lib.sh
TESTS += tests/tui/test-screen-rotate.sh \
	tests/tui/test-screen-rotate-faults.sh \
	tests/tui/test-screen-secret-new.sh
EXTRA_DIST += tests/tui/test-screen-rotate.sh \
	tests/tui/test-screen-rotate-faults.sh \
	tests/tui/test-screen-secret-new.sh

# :expiring [DAYS] on the demo (issue #12; tmux, python3).
TESTS += tests/tui/test-screen-expiring.sh
EXTRA_DIST += tests/tui/test-screen-expiring.sh

# The canary sweep: console and batch against kvdeck-sim, then every log,
# file, argv/environment (strace) and the terminal stream searched for
# the values, the client secret and the tokens (tmux, python3, strace,
# openssl).
TESTS += tests/tui/test-canary-sweep.sh
EXTRA_DIST += tests/tui/test-canary-sweep.sh tests/tui/canary-scan.py \
	tests/tui/canary-token-proxy.py

# The header names who is signed in (kvdeck --demo against kvdeck-sim).
TESTS += tests/tui/test-screen-account.sh
EXTRA_DIST += tests/tui/test-screen-account.sh

# The device-code sign-in screen against kvdeck-sim (tmux, python3).
TESTS += tests/tui/test-screen-signin.sh
EXTRA_DIST += tests/tui/test-screen-signin.sh

# The program refuses a bad configuration, naming file and line.
TESTS += tests/tui/test-cli-config.sh
EXTRA_DIST += tests/tui/test-cli-config.sh

# A 200,000-character vault name does not freeze the console (issue #11).
TESTS += tests/tui/test-screen-longname.sh
EXTRA_DIST += tests/tui/test-screen-longname.sh
# o orders the secrets pane; a reload keeps the order (#12).
TESTS += tests/tui/test-screen-secrets-order.sh
EXTRA_DIST += tests/tui/test-screen-secrets-order.sh

# The configuration's subscription/group: used, or said when they match
# nothing (issue #11).
TESTS += tests/tui/test-screen-config-context.sh
EXTRA_DIST += tests/tui/test-screen-config-context.sh
# The vault list from Azure Resource Graph, and its fallback said (#12).
TESTS += tests/tui/test-screen-graph.sh
EXTRA_DIST += tests/tui/test-screen-graph.sh
TESTS += tests/tui/test-screen-graph-tenant.sh
EXTRA_DIST += tests/tui/test-screen-graph-tenant.sh

# A vault opened by URI shows "unknown" for what was never read (#11).
TESTS += tests/tui/test-screen-byuri.sh
EXTRA_DIST += tests/tui/test-screen-byuri.sh

# kvdeck --demo killed with SIGKILL leaves no state directory (#11).
TESTS += tests/tui/test-screen-demo-kill.sh
EXTRA_DIST += tests/tui/test-screen-demo-kill.sh

# The screen tests find tmux when configure ran inside tmux (issue #11).
TESTS += tests/tui/test-tmux-bin.sh
EXTRA_DIST += tests/tui/test-tmux-bin.sh

# The man page agrees with the key table; no stub offered as a feature.
TESTS += tests/tui/test-docs.sh
EXTRA_DIST += tests/tui/test-docs.sh

# Translations: POTFILES.in complete, de.po complete and valid.
TESTS += tests/tui/test-po.sh
EXTRA_DIST += tests/tui/test-po.sh

# A vault's life cycle: the create-a-vault wizard, delete, deleted vaults,
# recover, purge, tags, purge protection (kvdeck --demo against
# kvdeck-sim; tmux, python3).
VAULT_SCREEN_TESTS = tests/tui/test-screen-vault-create.sh \
	tests/tui/test-screen-vault-name.sh tests/tui/test-screen-vault-life.sh \
	tests/tui/test-screen-vault-cancel.sh tests/tui/test-screen-vault-faults.sh
TESTS += $(VAULT_SCREEN_TESTS)
EXTRA_DIST += $(VAULT_SCREEN_TESTS) tests/tui/vault-lib.sh \
	tests/tui/simvault.py

# The endpoints pane and the secrets through Resource Manager (#10): the
# vault's network read and changed with small plans, enforced by the sim
# on the next data-plane call (kvdeck --demo against kvdeck-sim; tmux,
# python3).
ENDPOINT_SCREEN_TESTS = tests/tui/test-screen-endpoints.sh \
	tests/tui/test-screen-arm-rotate.sh
TESTS += $(ENDPOINT_SCREEN_TESTS)
EXTRA_DIST += $(ENDPOINT_SCREEN_TESTS) tests/tui/simacl.py
# The attach-a-private-endpoint wizard against the demo (issue #10).
ATTACH_SCREEN_TESTS = tests/tui/test-screen-attach.sh \
	tests/tui/test-screen-attach-public.sh \
	tests/tui/test-screen-attach-inside.sh
TESTS += $(ATTACH_SCREEN_TESTS)
EXTRA_DIST += $(ATTACH_SCREEN_TESTS) tests/tui/attach-lib.sh \
	tests/tui/simnet.py

# The console's process memory after a reveal and a copy (issue #11).
TESTS += tests/tui/test-screen-memory.sh
EXTRA_DIST += tests/tui/test-screen-memory.sh tests/tui/memprobe.py

# The vaults pane as a table on a wide terminal, the narrow list below
# 100 columns (issue #12).
TESTS += tests/tui/test-screen-vaultcols.sh
EXTRA_DIST += tests/tui/test-screen-vaultcols.sh
