#!/bin/sh
# test-cli-expiring.sh — `kvdeck secret expiring` (issue #12) against
# kvdeck-sim's demo seed (smtp-password expires in 20 days,
# openai-api-key in 60, legacy-api-key expired 10 days ago;
# kv-contoso-core-prod refuses this host by network and is listed through
# Resource Manager):
#  - text: expired first, then soonest first, within 30 days by default;
#  - --json (checked with python3): the stable fields, ISO 8601 dates,
#    days_left, status; --days 90 adds openai-api-key, --days 0 keeps
#    only the expired one;
#  - a rotation-days tag on a secret without an expiry makes it
#    "rotation-due" when its last update + N days falls within DAYS;
#  - vaults whose lists fail (500 after the retries) are listed as
#    failed with the error (exit 1);
#  - the private-only vault whose Resource Manager listing fails too says
#    both (the network refusal, then Resource Manager's error);
#  - a vault whose access policy lacks list is listed as not readable
#    (exit 3), the others still are;
#  - throttling: 429s on the vaults' lists are each retried once, no
#    request more (the storm does not multiply), and every vault is read;
#  - --days junk is a usage error (exit 2).
. "${top_srcdir:-.}/tests/cli/clilib.sh"

kv secret expiring
want_rc 0 "secret expiring: every vault read"
first=$(printf '%s\n' "$out" | sed -n 1p)
second=$(printf '%s\n' "$out" | sed -n 2p)
check 'case $first in *"expired 10d"*kv-contoso-dev*legacy-api-key*) true ;; *) false ;; esac' \
    "the expired secret first, marked expired"
check 'case $second in *kv-contoso-app-prod*smtp-password*password) true ;; *) false ;; esac' \
    "then smtp-password (in 20 days) with its vault and content type"
check '[ "$(printf "%s\n" "$out" | wc -l)" -eq 2 ] && ! printf "%s" "$out" | grep -q openai' \
    "nothing else within 30 days"

kv secret expiring --days 90 --json
want_rc 0 "--days 90 --json"
check '[ "$(jq_ "[r[\"name\"] for r in j] == [\"legacy-api-key\", \"smtp-password\", \"openai-api-key\"]")" = True ]' \
    "--days 90: the three, in order of expiry"
check '[ "$(jq_ "sorted(j[0].keys()) == sorted([\"vault\",\"name\",\"expires\",\"days_left\",\"content_type\",\"rotation_due\",\"status\"])")" = True ]' \
    "the stable fields"
check '[ "$(jq_ "[r[\"status\"] for r in j] == [\"expired\", \"expiring\", \"expiring\"]")" = True ]' \
    "status expired / expiring"
check '[ "$(jq_ "[r[\"days_left\"] for r in j]")" = "[-10, 19, 59]" ] || [ "$(jq_ "[r[\"days_left\"] for r in j]")" = "[-10, 20, 60]" ]' \
    "days_left"
check '[ "$(jq_ "j[1][\"vault\"] + \" \" + j[1][\"content_type\"] + \" \" + str(j[1][\"rotation_due\"])")" = "kv-contoso-app-prod password None" ]' \
    "vault, content type, no rotation due"
check "[ \"\$(jq_ \"__import__('re').fullmatch(r'\\\\d{4}-\\\\d\\\\d-\\\\d\\\\dT\\\\d\\\\d:\\\\d\\\\d:\\\\d\\\\dZ', j[2]['expires']) is not None\")\" = True ]" \
    "expires is ISO 8601"

kv secret expiring --days 0 --json
check '[ "$(jq_ "[r[\"name\"] for r in j] == [\"legacy-api-key\"]")" = True ]' \
    "--days 0: only the expired one"

# rotation-days on a secret without an expiry (updated now): due in 45
# days — listed within 60, not within 30
printf 'x' > "$T/v"
kv secret set $V rot-key --value-file "$T/v" --tags rotation-days=45 --yes
want_rc 0 "a secret with rotation-days=45 written"
kv secret expiring --days 30 --json
check '[ "$(jq_ "\"rot-key\" in [r[\"name\"] for r in j]")" = False ]' \
    "rotation due in 45 days: not within 30"
kv secret expiring --days 60 --json
# (44 when a second has passed since the write, 45 within the same second:
# days_left counts whole days toward zero)
check '[ "$(jq_ "[(r[\"status\"], r[\"expires\"], r[\"days_left\"] in (44, 45), r[\"rotation_due\"] is not None) for r in j if r[\"name\"] == \"rot-key\"] == [(\"rotation-due\", None, True, True)]")" = True ]' \
    "within 60: rotation-due, no expiry, its due date"

# throttled: each 429 retried once, nothing more
kv secret expiring
n0=$(simctl count GET)
kv secret expiring
n1=$(simctl count GET)
simctl fault 'throttle,area=vault,path=/secrets,count=3,retry-after=1'
kv secret expiring
want_rc 0 "throttled: every vault still read"
check 'printf "%s" "$out" | grep -q smtp-password && printf "%s" "$out" | grep -q legacy-api-key' \
    "throttled: the same list"
n2=$(simctl count GET)
simctl nofaults
check '[ $((n2 - n1)) -eq $((n1 - n0 + 3)) ]' \
    "throttled: 3 retries, no request more ($((n1 - n0)) then $((n2 - n1)) GETs)"

# vaults whose lists fail otherwise (500 on every data-plane list, after
# the retries): each listed with its error, exit 1
simctl fault 'error,status=500,area=vault,path=/secrets'
kv secret expiring --json
simctl nofaults
want_rc 1 "the vaults' lists failed: exit 1"
check '[ "$(jq_ "sorted(r[\"vault\"] for r in j if r[\"status\"] == \"failed\" and r[\"name\"] is None)")" = "$(python3 -c "print(sorted([\"kv-contoso-ai-prod\", \"kv-contoso-app-prod\", \"kv-contoso-core-prod\", \"kv-contoso-dev\"]))")" ]' \
    "each vault is listed as failed"
check '[ "$(jq_ "all(\"500\" in r[\"error\"] or \"InternalServerError\" in r[\"error\"] for r in j)")" = True ]' \
    "with what Azure answered ($(jq_ "j[0][\"error\"]" 2>/dev/null | cut -c1-60))"

# the private-only vault: its data plane refuses this host by network,
# and its Resource Manager listing fails too: both said
vid=$(python3 -c 'import os, sys; sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "cli")); import simctl; print(simctl.vault_id(simctl.attach(), "kv-contoso-core-prod"))')
simctl fault "error,status=500,area=arm,path=$vid/secrets"
kv secret expiring
simctl nofaults
want_rc 1 "the Resource Manager listing failed: exit 1"
check 'printf "%s" "$out" | grep -q "^kv-contoso-core-prod: failed: InternalServerError (the data plane refused this host by network; through Resource Manager: "' \
    "the vault's line says both refusals"

# a vault kvdeck may not list
simctl perms kv-contoso-app-prod get
kv secret expiring
want_rc 3 "a vault not readable: exit 3"
check 'printf "%s" "$out" | grep -q "^kv-contoso-app-prod: not readable: Forbidden (.*secrets list permission"' \
    "it is listed as not readable, with Azure's reason"
check 'printf "%s" "$out" | grep -q legacy-api-key' "the other vaults are still listed"
check 'printf "%s" "$err" | grep -q "1 of 4 vaults could not be read"' "stderr says how many"
kv secret expiring --json
check '[ "$(jq_ "[(r[\"vault\"], r[\"name\"]) for r in j if r[\"status\"] == \"not-readable\"] == [(\"kv-contoso-app-prod\", None)]")" = True ]' \
    "--json: the vault as not-readable"
check '[ "$(jq_ "[r[\"error\"].startswith(\"Forbidden\") for r in j if r[\"status\"] == \"not-readable\"]")" = "[True]" ]' \
    "--json: with the error"

kv secret expiring --days soon
want_rc 2 "--days soon: usage"
exit $bad
