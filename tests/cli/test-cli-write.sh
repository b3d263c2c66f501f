#!/bin/sh
# test-cli-write.sh — the writing batch commands against kvdeck-sim: set
# (value from stdin, file, --generate of each kind), rotate (--retire-old
# now / 7d / keep, carried tags, --if-version refusal), copy, delete,
# recover, purge; --dry-run and --read-only send no write (the sim's
# write counter); no --yes without a terminal is refused (exit 5); 403
# on a write (exit 3); set on a soft-deleted name (exit 5, says recover);
# the journal (JSON lines, 0600, pending retirements) and a canary value
# that never reaches the journal, the debug log or the simulator's log.
. "$top_srcdir/tests/cli/clilib.sh"

CANARY=canary-7f3e9a1c-$$-value
printf '%s\n' "$CANARY" >"$T/value"
chmod 600 "$T/value"

# --- refusals that send nothing -----------------------------------------
w0=$(simctl writes)
kv secret set $V app-key --value-file "$T/value"
want_rc 5 "set without --yes and no terminal: exit 5"
check 'echo "$err" | grep -q -- "--yes"' "the refusal says to add --yes"
kv --read-only secret set $V app-key --value-file "$T/value" --yes
want_rc 5 "set under --read-only: exit 5"
kv secret set $V app-key --value-file "$T/value" --dry-run --json
want_rc 0 "set --dry-run"
check '[ "$(jq_ "j[\"outcome\"]+\" \"+str(len(j[\"steps\"]))")" = "dry-run 3" ]' "dry-run --json: the plan's steps"
kv secret delete $V db-password --dry-run
want_rc 0 "delete --dry-run"
kv secret purge $V old-ftp-password --dry-run
want_rc 0 "purge --dry-run"
check '[ "$(simctl writes)" = "$w0" ]' "refusals and dry runs wrote nothing"

# --- set: stdin, file, generate ----------------------------------------
kvin "$T/value" secret set $V app-key --yes --json --content-type text/plain --tags team=ops env=dev --expires 2031-03-05
want_rc 0 "set from standard input"
check '[ "$(jq_ "j[\"outcome\"]+\" \"+str(j[\"verified\"])+\" \"+j[\"secret\"][\"tags\"][\"team\"]+\" \"+str(j[\"secret\"][\"attributes\"][\"exp\"])")" = "done True ops 1930435200" ]' "set --json: done, verified, tags, expiry"
check '[ "$(simctl writes)" -eq $((w0 + 1)) ]' "set: exactly one write"
kv secret show $V app-key --show-value --json
check '[ "$(jq_ "j[\"value\"]")" = "$CANARY" ]' "the value read back, trailing newline stripped"
printf 'from-a-file' >"$T/v2"
kv secret set $V app-key --value-file "$T/v2" --tags team=ops --yes
want_rc 0 "set --value-file"
kv secret show $V app-key --show-value --json
check '[ "$(jq_ "j[\"value\"]")" = from-a-file ]' "the file's value"
for spec in 'hex:16:^[0-9a-f]{32}$' 'base64url:12:^[A-Za-z0-9_-]{16}$' 'alnum:20:^[A-Za-z0-9]{20}$' 'sk-{48:alnum}::^sk-[A-Za-z0-9]{48}$'; do
    s=${spec%%:^*}; s=${s%:}; re=^${spec#*:^}
    kv secret set $V gen-key --generate "$s" --yes
    want_rc 0 "set --generate $s"
    kv secret show $V gen-key --show-value --json
    check 'jq_ "j[\"value\"]" | grep -Eq "$re"' "--generate $s: length and alphabet ($re)"
done

# --- rotate -------------------------------------------------------------
kv secret show $V app-key --json
old=$(jq_ 'j["version"]')
kv secret rotate $V app-key --generate alnum:32 --retire-old now --yes --json
want_rc 0 "rotate --retire-old now"
new=$(jq_ 'j["secret"]["version"]')
check '[ "$(jq_ "j[\"verified\"]")" = True ]' "rotate: verified"
check '[ "$(jq_ "j[\"secret\"][\"tags\"][\"team\"]")" = ops ]' "rotate: tags carried over"
check '[ "$(jq_ "\"rotated-at\" in j[\"secret\"][\"tags\"]")" = True ]' "rotate: rotated-at tag"
check '[ "$(jq_ "80*86400 < j[\"secret\"][\"attributes\"][\"exp\"] - j[\"secret\"][\"attributes\"][\"created\"] <= 90*86400")" = True ]' "rotate: 90 days expiry by default"
check 'simctl versions $V app-key | grep "^$old disabled" >/dev/null' "rotate now: the old version is disabled"
check 'simctl versions $V app-key | grep "^$new enabled" >/dev/null' "rotate now: the new version is enabled"
kv secret rotate $V app-key --generate alnum:32 --retire-old 7d --yes
want_rc 0 "rotate --retire-old 7d"
check 'simctl versions $V app-key | grep "^$new enabled" >/dev/null' "rotate 7d: the old version stays enabled"
kv journal
check 'echo "$out" | grep -q "Pending retirements: 1" && echo "$out" | grep -q "version $new"' "journal: the pending retirement"
kv secret set $V rot-days --generate hex:8 --tags rotation-days=10 --yes
kv secret rotate $V rot-days --generate hex:8 --yes --json
check '[ "$(jq_ "9*86400 < j[\"secret\"][\"attributes\"][\"exp\"] - j[\"secret\"][\"attributes\"][\"created\"] <= 10*86400")" = True ]' "rotate: expiry from the rotation-days tag"
# changed since review: another version was written after the one
# reviewed (--if-version names the reviewed one).
kv secret show $V app-key --json
reviewed=$(jq_ 'j["version"]')
simctl put $V app-key "$T/v2" >/dev/null
w1=$(simctl writes)
kv secret rotate $V app-key --generate hex:8 --if-version "$reviewed" --yes
want_rc 5 "rotate after another write: exit 5"
check 'echo "$err" | grep -q "changed since the review"' "the refusal says it changed since the review"
check '[ "$(simctl writes)" = "$w1" ]' "the refused rotation wrote nothing"
kv secret rotate $V no-such --generate hex:8 --yes
want_rc 4 "rotate of a missing secret: exit 4"

# --- 403 on a write -----------------------------------------------------
simctl perms $V get list delete recover purge
kv secret set $V app-key --generate hex:8 --yes
want_rc 3 "set without set permission: exit 3"
check 'echo "$err" | grep -q "does not have secrets set permission"' "403: Azure's message naming set"
simctl perms $V get list set delete recover purge backup restore

# --- copy, delete, set on deleted, recover, purge ----------------------
kv secret copy $V app-key kv-contoso-ai-prod --name app-key-copy --yes --json
want_rc 0 "copy --name"
kv secret show kv-contoso-ai-prod app-key-copy --show-value --json
check '[ "$(jq_ "j[\"value\"]")" = from-a-file ]' "the copy has the value"
kv secret delete $V gen-key --yes
want_rc 0 "delete"
kv secret list-deleted $V --json
check 'jq_ "[s[\"name\"] for s in j]" | grep -q gen-key' "deleted: listed"
kv secret set $V gen-key --generate hex:8 --yes
want_rc 5 "set on a soft-deleted name: exit 5"
check 'echo "$err" | grep -q "kvdeck secret recover $V gen-key"' "it says to run kvdeck secret recover"
kv secret recover $V gen-key --yes
want_rc 0 "recover"
kv secret show $V gen-key
want_rc 0 "recovered: shown again"
kv secret purge $V old-ftp-password --yes --json
want_rc 0 "purge"
kv secret list-deleted $V --json
check '! jq_ "[s[\"name\"] for s in j]" | grep -q old-ftp-password' "purged: gone from the deleted list"
kv secret purge $V old-ftp-password --yes
want_rc 4 "purge of what is not deleted: exit 4"

# --- the journal, and the canary ----------------------------------------
kv journal --json
want_rc 0 "journal --json"
check '[ "$(jq_ "len(j) > 10 and all(\"plan_id\" in e and \"outcome\" in e for e in j)")" = True ]' "journal --json: an array of entries"
check 'python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$KVDECK_JOURNAL"' "every journal line is JSON"
check '[ "$(stat -c %a "$KVDECK_JOURNAL")" = 600 ]' "the journal is 0600"
kvin "$T/value" --log "$T/debug.log" secret rotate $V app-key --yes
kv --log "$T/debug.log" secret show $V app-key --show-value
kv --log "$T/debug.log" secret copy $V app-key kv-contoso-ai-prod --yes
check 'echo "$out" | grep -q "" && [ -s "$T/debug.log" ]' "a debug log was written"
for f in "$KVDECK_JOURNAL" "$T/debug.log" "$T/sim.log"; do
    check '! grep -q "$CANARY" "$f"' "the value is not in $(basename "$f")"
    check '! grep -q "from-a-file" "$f"' "nor the other value in $(basename "$f")"
done
exit $bad
