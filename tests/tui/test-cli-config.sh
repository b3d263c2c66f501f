#!/bin/sh
# test-cli-config.sh — kvdeck refuses a bad configuration before it
# touches the terminal, with a message naming the file and the line: an
# unknown setting, a bad value, a bad key binding or style, a file others
# can read, a missing --config file. Exit status 2 each time.
: "${top_builddir:=$(pwd)}"
KVDECK=$top_builddir/src/kvdeck
[ -x "$KVDECK" ] || { echo "SKIP: src/kvdeck not built"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-cfg.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME=$dir
mkdir -p "$dir/kvdeck"
cfg=$dir/kvdeck/config
bad=0

# expect CONTENT MODE WANT WHAT — writes the config, runs kvdeck, checks.
expect() {
    printf '%b' "$1" >"$cfg"
    chmod "$2" "$cfg"
    out=$("$KVDECK" </dev/null 2>&1 >/dev/null)
    rc=$?
    if [ $rc -ne 2 ]; then
        echo "FAIL: $4: exit status $rc (want 2): $out"; bad=1; return
    fi
    case $out in
    *"$(printf '\033')"*) echo "FAIL: $4: an ESC reached the terminal: $out"; bad=1 ;;
    *"$3"*) echo "ok - $4" ;;
    *) echo "FAIL: $4: got '$out', want '$3'"; bad=1 ;;
    esac
}

expect 'vault = kv\ncolour = sometimes\n' 600 "$cfg:2: color must be auto, always or never" "bad value, file and line"
expect '# c\n\nfrobnicate = 1\n' 600 "$cfg:3: unknown setting \"frobnicate\"" "unknown setting"
expect 'bind C-d page-down\nbind Hyper-x up\n' 600 "$cfg:2: unknown key \"Hyper-x\"" "bad key in a bind line"
expect 'bind x teleport\n' 600 "$cfg:1: unknown action \"teleport\"" "bad action in a bind line"
expect 'style sparkle red\n' 600 "$cfg:1: unknown style \"sparkle\"" "bad style element"
expect 'style error mauve\n' 600 "$cfg:1: unknown colour \"mauve\"" "bad colour"
expect 'vault = kv\n' 644 "$cfg can be read or changed by other users" "world-readable file refused"
expect 'vault = kv\n' 640 "chmod 600 $cfg" "group-readable file refused, with the fix"
# Control characters from the file are shown escaped, never sent to the
# terminal (issue 11): a setting name, a bind key, a colour, a cloud file.
esc=$(printf '\033')
expect 'frob\033[2J = 1\n' 600 "$cfg:1: unknown setting \"frob\\x1b[2J\"" "ESC in a setting name is shown as \\x1b"
expect 'bind Q\033]0;pwned\007 quit\n' 600 "$cfg:1: unknown key \"Q\\x1b]0;pwned\\x07\"" "ESC and BEL in a bind key are shown escaped"
expect 'style error \033[5m\n' 600 "$cfg:1: unknown colour \"\\x1b[5m\"" "ESC in a colour is shown escaped"
expect 'tenant = evil.example/x\033[2J\n' 600 "$cfg:1: tenant \"evil.example/x\\x1b[2J\" is neither a tenant ID" "a bad tenant is refused, shown escaped"
printf '{"endpoints": {"resourceManager": "http://\\u001b[2J", "activeDirectory": "https://l", "activeDirectoryResourceId": "https://a/"}}' >"$dir/cloud.json"
printf 'vault = kv\ncloud = %s\n' "$dir/cloud.json" >"$cfg"
chmod 600 "$cfg"
out=$(env -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET "$KVDECK" </dev/null 2>&1 >/dev/null)
case $out in
*"$esc"*) echo "FAIL: a cloud file's ESC reached the terminal: $out"; bad=1 ;;
*'http://\x1b[2J'*) echo "ok - ESC in a cloud file is shown escaped" ;;
*) echo "FAIL: cloud file with ESC: $out"; bad=1 ;;
esac
out=$("$KVDECK" --config "$dir/nope" </dev/null 2>&1 >/dev/null)
rc=$?
case "$rc:$out" in
2:*"cannot read $dir/nope"*) echo "ok - a missing --config file is an error" ;;
*) echo "FAIL: missing --config: $rc $out"; bad=1 ;;
esac
# A good config and no terminal: the console says it needs one.
printf 'vault = kv\n' >"$cfg"
chmod 600 "$cfg"
out=$(env -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET "$KVDECK" </dev/null 2>&1 >/dev/null)
case $out in
*"needs a terminal"*) echo "ok - a good config gets as far as the terminal check" ;;
*) echo "FAIL: good config: $out"; bad=1 ;;
esac
exit $bad
