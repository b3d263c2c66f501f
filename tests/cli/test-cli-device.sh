#!/bin/sh
# test-cli-device.sh — signing a person in with a device code, against
# kvdeck-sim (its AD FS-style cloud file, so the /adfs endpoints), with a
# config holding the cloud, the CA and the tenant only:
#  - kvdeck login --device-code: the page and the code on stderr (never
#    stdout), the code is the one the sim holds as pending, approved
#    through the control endpoint, exit 0, "Signed in as" the sim's user;
#    --json; --tenant;
#  - declined: exit 3 and the decline named; expired (the sim's
#    device_lifetime 2 s): exit 3 and the expiry named;
#  - slow_down (the sim's slow-down fault): said on stderr, the interval
#    grows by 5 s, and the sign-in still completes;
#  - --auth device-code on a batch command: the code on stderr, the
#    secrets on stdout;
#  - auto without a terminal and nothing configured: no code, exit 3, the
#    message names kvdeck login;
#  - the debug log holds no token, refresh token or device code.
# The refresh token buying the vault's token after ARM's is checked in
# tests/tui/test-screen-signin.sh (the console asks for both).
SIM_ARGS="--device-interval 1"
. "${top_srcdir:-.}/tests/cli/clilib.sh"

export AZURE_CONFIG_DIR=$T/azure # empty: no az login here
mkdir -p "$AZURE_CONFIG_DIR"
TENANT=$(conn tenant)
USER_UPN=$(conn user)
printf '%s\n' "cloud = $(conn cloud_file)" "ca-file = $(conn ca)" \
    "tenant = $TENANT" >"$T/config"

# bg ARGS... — kvdeck in the background (stdout $T/out, stderr $T/err)
bg() {
    rm -f "$T/out" "$T/err"
    "$KVDECK" --config "$T/config" --log "$T/debug.log" "$@" \
        >"$T/out" 2>"$T/err" </dev/null &
    KPID=$!
}
# code — waits for the user code kvdeck wrote to stderr; prints it
code() {
    n=0
    while [ $n -lt 100 ]; do
        c=$(sed -n 's/.*enter the code \([A-Z0-9]*\).*/\1/p' "$T/err" 2>/dev/null | tail -n 1)
        [ -n "$c" ] && { echo "$c"; return 0; }
        sleep 0.1
        n=$((n + 1))
    done
    return 1
}
# finish — waits for kvdeck; sets rc, out, err
finish() {
    wait "$KPID"
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}

# ---- approved --------------------------------------------------------------
bg login --device-code
UC=$(code) || { fail "no code on stderr"; cat "$T/err"; exit 1; }
check '[ "$(simctl device-state "$UC")" = "pending 1" ]' "the code on stderr is the sim's pending one"
check 'grep -q "open https://127.0.0.1:[0-9]*/_sim/devicelogin in a browser" "$T/err"' "stderr names the page"
check 'grep -q "waiting for you to sign in" "$T/err"' "and says it waits"
sleep 1.5 # a few polls answered authorization_pending
simctl device "$UC" approve
finish
want_rc 0 "login --device-code, approved: exit 0"
check 'echo "$out" | grep -q "^Signed in as $USER_UPN (device code sign-in), tenant $TENANT: 2 subscriptions"' "stdout says who signed in"
check '! echo "$out" | grep -q "$UC"' "the code is not on stdout"
check '[ "$(simctl device-state "$UC")" = gone ]' "the code was redeemed"
check 'grep -q "POST https://127.0.0.1:[0-9]*/adfs/oauth2/devicecode" "$T/debug.log"' "AD FS cloud: the /adfs devicecode endpoint"
check '[ "$(grep -c "adfs/oauth2/token -> 400" "$T/debug.log")" -ge 1 ]' "polled while pending"

bg login --device-code --json --tenant contoso.onmicrosoft.com
UC=$(code) && simctl device "$UC" approve
finish
want_rc 0 "login --json --tenant"
check '[ "$(jq_ "j[\"account\"]")" = "$USER_UPN" ]' "--json: the account"
check '[ "$(jq_ "j[\"subscriptions\"]")" = 2 ]' "--json: the subscriptions"

# ---- declined --------------------------------------------------------------
bg login --device-code
UC=$(code) && simctl device "$UC" decline
finish
want_rc 3 "declined: exit 3"
check 'echo "$err" | grep -q "kvdeck login: not signed in: the sign-in was declined at the sign-in page (AADSTS70000)"' "the decline is named"

# ---- expired ----------------------------------------------------------------
simctl config '{"device_lifetime": 2}'
bg login --device-code
code >/dev/null
finish
want_rc 3 "expired: exit 3"
check 'echo "$err" | grep -q "not signed in: the sign-in code expired before it was used"' "the expiry is named"
check 'grep -q "valid for 1 min" "$T/err"' "the code's lifetime was shown"
simctl config '{"device_lifetime": 900}'

# ---- slow_down -------------------------------------------------------------
simctl fault 'slow-down,count=1'
start=$(date +%s)
bg login --device-code
UC=$(code)
n=0
until grep -q "polled less often" "$T/err" || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
check 'grep -q "asks to be polled less often: every 6 s now" "$T/err"' "slow_down: said, interval 1 + 5 s"
simctl device "$UC" approve
finish
took=$(( $(date +%s) - start ))
want_rc 0 "slow_down, then approved: exit 0"
check '[ "$took" -ge 6 ]' "the next poll came 6 s later ($took s)"
simctl nofaults

# ---- a batch command with --auth device-code -------------------------------
bg --auth device-code secret list "$V" --json
UC=$(code) && simctl device "$UC" approve
finish
want_rc 0 "--auth device-code secret list: exit 0"
check '[ "$(jq_ "len(j) > 0")" = True ]' "the secrets on stdout (JSON)"
check 'grep -q "signed in as $USER_UPN" "$T/err"' "stderr says who signed in"
check '! grep -q "enter the code" "$T/out"' "no code on stdout"

# ---- auto, no terminal -------------------------------------------------------
kv secret list "$V"
want_rc 3 "nothing configured, no terminal: no device code"
check '! echo "$err" | grep -q "enter the code"' "no code shown"
check 'echo "$err" | grep -q "kvdeck login"' "the message names kvdeck login"

# ---- nothing secret in the log ----------------------------------------------
check '! grep -q "eyJ" "$T/debug.log"' "no token in the debug log"
check '! grep -qi "refresh_token=\|device_code=" "$T/debug.log"' "no form with a refresh token or device code"
exit $bad
