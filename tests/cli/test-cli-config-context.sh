#!/bin/sh
# test-cli-config-context.sh — a batch command that takes its subscription
# from the configuration ("subscription =") says so on stderr when it
# matches none the sign-in can see, naming the configuration (not as if
# it had been typed with --subscription); a matching one is used.
. "${top_srcdir:-.}/tests/cli/clilib.sh"
cp "$T/config" "$T/config.base"

printf 'subscription = Contoso Nowhere\n' >> "$T/config"
kv vault list
check '[ "$rc" -ne 0 ]' "a configured subscription that matches nothing fails"
check 'echo "$err" | grep -qF "configuration'"'"'s subscription = Contoso Nowhere matches none of the"' \
    "stderr names the configuration's subscription"
check '[ -z "$out" ]' "and lists nothing as if it matched"
kv vault list --subscription "Contoso Nowhere"
check 'echo "$err" | grep -qF "no subscription \"Contoso Nowhere\" among the"' \
    "a --subscription that matches nothing keeps its own message"

cp "$T/config.base" "$T/config"
printf 'subscription = Contoso Development\n' >> "$T/config"
kv vault list
want_rc 0 "a configured subscription that matches is used"
check 'echo "$out" | grep -q "kv-contoso-dev"' "its vaults are listed"
check '! echo "$err" | grep -q "configuration"' "and nothing is said about it"
exit $bad
