#!/bin/sh
# test-cli-claims.sh — claims challenges (insufficient_claims, continuous
# access evaluation) from kvdeck-sim's claims-challenge fault, on Resource
# Manager (whoami lists the subscriptions) and on a vault's data plane
# (secret list): one challenge is answered with a token asked for with
# the claims and the request goes once more (exit 0); a challenge to
# every token ends after that one retry with a clear message (exit 3).
. "${top_srcdir:-.}/tests/cli/clilib.sh"

export AZURE_CONFIG_DIR=$T/azure
log() { grep -F -- "$1" "$T/debug.log" >/dev/null 2>&1; }
kvl() { rm -f "$T/debug.log"; kv --log "$T/debug.log" "$@"; }
# GETs of PREFIX the simulator saw, from its request counters
gets() { simctl count GET; }

for area in arm vault; do
    if [ $area = arm ]; then cmd="whoami"; else cmd="secret list $V"; fi
    simctl nofaults
    simctl fault "claims-challenge,area=$area,count=1"
    kvl $cmd
    want_rc 0 "$area: one claims challenge is answered"
    check 'log "client: claims challenge for GET"' "$area: it was a claims challenge"
    check 'log "a fresh token with the claims"' "$area: the token was asked for with the claims"
    check '[ "$(grep -c "client: claims challenge" "$T/debug.log")" -eq 1 ]' "$area: one retry"

    simctl nofaults
    simctl fault "claims-challenge,area=$area"
    kvl $cmd
    want_rc 3 "$area: challenged again after the fresh token: not signed in"
    check 'echo "$err" | grep -q "insufficient_claims"' "$area: the message says why"
    check '[ "$(grep -c "client: claims challenge" "$T/debug.log")" -eq 1 ]' "$area: after exactly one retry"
done
simctl nofaults
kv secret list "$V"
want_rc 0 "without the fault all is well again"
exit $bad
