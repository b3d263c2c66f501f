#!/bin/sh
# test-screen-attach-inside.sh — closing public access from inside the
# VNet, at 80x24: kvdeck's config maps the vault's host name to the
# address the endpoint will get (resolve = HOST:PORT:ADDRESS, as curl's
# --resolve; the sim gives a subnet's first free address from .4) and
# HTTPS_PROXY points at the sim's private proxy (its tunnels come from
# 127.0.0.2, the private network). The wizard's last page says this host
# resolves the name inside the subnet, with no warning; the review asks
# for no typed name; the end says the DNS check found the endpoint's
# address; and with public access off kvdeck still lists the secrets.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
REAL_SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$REAL_SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"

# Two free ports: the sim's listener and its private proxy, known before
# kvdeck starts the demo's sim (through a wrapper given as KVDECK_SIM).
set -- $(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
P=$1 PP=$2
cat > "$SCR_DIR/sim-wrap" <<EOF
#!/bin/sh
exec "$REAL_SIM" "\$@" --listen 127.0.0.1:$P --private-proxy 127.0.0.1:$PP
EOF
chmod +x "$SCR_DIR/sim-wrap"
cat > "$XDG_CONFIG_HOME/kvdeck/config" <<EOF
resolve = kv-contoso-dev.vault.localhost:$P:10.20.1.4
EOF
chmod 600 "$XDG_CONFIG_HOME/kvdeck/config"

. "$top_srcdir/tests/tui/attach-lib.sh"
export KVDECK_SIM=$SCR_DIR/sim-wrap
attach_start 80 24 "" "env HTTPS_PROXY=http://127.0.0.1:$PP NO_PROXY=127.0.0.1"
grep -q "\"private_proxy\":[[:space:]]*\"http://127.0.0.1:$PP\"" "$SIM_CONN" ||
    skip "the sim did not take the private proxy's port"

open_vault kv-contoso-dev
wa_open kv-contoso-dev
wa_next 6
capture attach-inside
assert_screen "This host resolves kv-contoso-dev.vault.localhost to" \
    "page 6 says what this host resolves the name to"
assert_screen "to 10.20.1.4," "the resolve line's address"
assert_screen "inside snet-default (10.20.1.0/24)" "inside the chosen subnet"
refute_screen "Warning" "no warning from inside"
refute_screen "loses access" "kvdeck keeps its access from inside"
keys Space
wa_next review
capture attach-inside-review
refute_screen "To apply, type" "no typed name from inside"
keys Enter
wait_for "Done in" 90
keys Enter
wait_for "Endpoint pe-kv-contoso-dev attached" 10
capture attach-inside-outcome
assert_screen "Public network access is now disabled." "closed"
assert_screen "this host reaches" "the DNS check's result"
assert_screen "the vault privately." "the DNS check found the endpoint's address"
keys Enter
sleep 0.5
python3 "$top_srcdir/tests/tui/simnet.py" public kv-contoso-dev | grep -qx Disabled ||
    fail "the sim's vault is not closed"
keys s
sleep 0.3
keys r
sleep 3
wait_for "Secrets of kv-contoso-dev (3)" 20
refute_screen "Public network access is disabled on this vault" \
    "the data plane still answers"
assert_screen "db-password" "kvdeck still lists the secrets from inside"

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
