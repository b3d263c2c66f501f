#!/bin/sh
# test-screen-vault.sh — :vault opens vaults no subscription listing
# holds, against kvdeck-sim. The vault list of "Contoso Production" fails
# (injected 500s), so its vaults are in no list the console shows:
#  - "vault = NAME" in the config waits for the lists, then opens the
#    vault by the URI the engine gives the name (engine_vault_uri());
#  - with the context filtered to another subscription, ":vault URI"
#    opens a vault at once, and its secrets load over the data plane;
#  - ":vault NAME" after the lists are in goes straight to the URI.
# Needs tmux and kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

KVDECK=$top_builddir/src/kvdeck
SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
export KVDECK_SIM=$SIM
export TMPDIR=$SCR_DIR

# The demo seed's production subscription (a fixed id).
PROD=2202d924-44dd-465b-b38b-fc055b9c2ed5
cfg=$XDG_CONFIG_HOME/kvdeck/config
printf 'vault = kv-contoso-app-prod\n' > "$cfg"
chmod 600 "$cfg"

screen_start 80 24 "env KVSIM_FAULTS='error,status=500,area=arm,path=/subscriptions/$PROD/providers/Microsoft.KeyVault/vaults' $KVDECK --demo"
wait_for "kv-contoso-dev" 30
port=$(sed -n 's/.*"port":[^0-9]*\([0-9]*\).*/\1/p' "$SCR_DIR"/kvdeck-demo-*/connection.json)
[ -n "$port" ] || fail "no port in the simulator's connection file"
# Once the production list has failed: the message names the URI the
# engine made of the name, and the secrets load from it.
wait_for "opened https://kv-contoso-app-prod.vault.localhost:$port by URI" 40
pass "opened by the URI engine_vault_uri() gives the name"
wait_for "Secrets of kv-contoso-app-prod (5)" 20
assert_screen "storage-connection-string" "config vault = NAME: its secrets load"
assert_screen "Vaults (2)" "the production listing failed (only kv-contoso-dev and the opened vault)"
keys e
wait_for "opened by URI: endpoints need"
pass "the endpoints pane says why it has nothing"

# Filter to the other subscription, then open a production vault by URI.
keys :
type_text "sub Contoso Development"
keys Enter
wait_for "Contoso Development" 5
keys :
type_text "vault https://kv-contoso-ai-prod.vault.localhost:$port/"
keys Enter
wait_for "Secrets of kv-contoso-ai-prod (3)" 20
assert_screen "openai-api-key" ":vault URI: its secrets load"
screen_text | head -n 1 | grep -qF "Contoso Development" || fail "the context changed"
pass "the chosen context stays"

# :vault NAME once every list is in: straight to the URI, no waiting.
keys :
type_text "vault kv-contoso-core-prod"
keys Enter
wait_for "opened https://kv-contoso-core-prod.vault.localhost:$port by URI" 10
pass ":vault NAME opens by URI once the lists are in"
wait_for "Secrets of kv-contoso-core-prod" 10
# This vault refuses public access: the data plane's own 403 is shown.
wait_for "403" 20
pass "the vault's own answer (403, public access disabled) is shown"

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
