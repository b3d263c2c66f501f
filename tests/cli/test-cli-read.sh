#!/bin/sh
# test-cli-read.sh — kvdeck secret list, list-deleted, show and journal
# against kvdeck-sim: text and --json (parsed, fields asserted), the
# value only with --show-value, exit codes 0, 2 (usage, --value), 3 (no
# permission: Azure's message naming the permission), 4 (not found).
. "$top_srcdir/tests/cli/clilib.sh"

kv secret list $V --json
want_rc 0 "secret list --json"
check '[ "$(jq_ "\",\".join(sorted(s[\"name\"] for s in j))")" = "db-password,feature-flags-token,legacy-api-key" ]' "list: the three live secrets"
check '[ "$(jq_ "[s for s in j if s[\"name\"]==\"db-password\"][0][\"contentType\"]")" = password ]' "list: contentType"
check '[ "$(jq_ "all(\"enabled\" in s[\"attributes\"] and \"recoveryLevel\" in s[\"attributes\"] and s[\"id\"].startswith(\"https://\") for s in j)")" = True ]' "list: id and attributes like the REST API"
check '[ "$(jq_ "any(\"value\" in s for s in j)")" = False ]' "list: no values"
kv secret list $V
want_rc 0 "secret list (text)"
check 'echo "$out" | grep -q "^db-password "' "list text names db-password"

kv secret list-deleted $V --json
want_rc 0 "secret list-deleted --json"
check '[ "$(jq_ "\",\".join(s[\"name\"] for s in j)")" = "old-ftp-password" ]' "list-deleted: old-ftp-password"
check '[ "$(jq_ "j[0][\"recoveryId\"].endswith(\"/deletedsecrets/old-ftp-password\") and \"scheduledPurgeDate\" in j[0]")" = True ]' "list-deleted: recoveryId, scheduledPurgeDate"

kv secret show $V db-password --json
want_rc 0 "secret show --json"
check '[ "$(jq_ "\"value\" in j")" = False ]' "show: no value without --show-value"
check '[ "$(jq_ "j[\"contentType\"]+\" \"+str(len(j[\"version\"]))")" = "password 32" ]' "show: contentType and version"
ver=$(jq_ 'j["version"]')
kv secret show $V db-password --show-value --json
check '[ "$(jq_ "len(j[\"value\"]) > 0")" = True ]' "show --show-value: the value"
kv secret show $V db-password --version "$ver"
want_rc 0 "show --version"
check 'echo "$out" | grep -q "$ver" && ! echo "$out" | grep -q "^value:"' "show text: the version, no value"

kv secret show $V no-such-secret
want_rc 4 "show of a missing secret: exit 4"
kv secret show kv-no-such-vault db-password
check '[ $rc -ne 0 ]' "show in a missing vault fails"
kv secret show $V db-password --version 0123456789abcdef0123456789abcdef
want_rc 4 "show of a missing version: exit 4"

kv secret show $V
want_rc 2 "missing argument: exit 2"
kv secret frobnicate $V
want_rc 2 "unknown command: exit 2"
kv secret list $V --bogus
want_rc 2 "unknown option: exit 2"
kv secret set $V x --value hunter2
want_rc 2 "--value refused: exit 2"
check 'echo "$err" | grep -q "ps"' "--value: the message says why (ps)"
kv secret set $V x --value=hunter2
want_rc 2 "--value=... refused too"
kv secret set $V x --expires tomorrow --generate hex:8 --yes
want_rc 2 "a bad date: exit 2"
kv secret rotate $V db-password --retire-old soon --generate hex:8 --yes
want_rc 2 "a bad --retire-old: exit 2"
kv secret set $V 'bad_name!' --generate hex:8 --yes
want_rc 2 "a bad secret name: exit 2"
kv secret set $V x --generate 'hexa:32' --yes
want_rc 2 "a bad --generate spec: exit 2"

# 403: the principal lacks 'get'; Azure's message names it and whom.
simctl perms $V list set delete recover purge
kv secret show $V db-password
want_rc 3 "show without get permission: exit 3"
check 'echo "$err" | grep -q "does not have secrets get permission" && echo "$err" | grep -q "appid="' "403: the missing permission and the principal printed"
simctl perms $V get list set delete recover purge backup restore

kv journal --json
want_rc 0 "journal --json with no journal yet"
check '[ "$(jq_ "j")" = "[]" ]' "journal --json: an empty array"
kv journal
want_rc 0 "journal (text) with no journal yet"
check 'echo "$out" | grep -q "Pending retirements: 0"' "journal text: no pending retirements"
exit $bad
