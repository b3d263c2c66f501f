#!/bin/sh
# test-screen-german.sh — LANGUAGE=de kvdeck --demo --read-only: the
# screen, the help and the messages are German, and read-only mode is
# shown and explained. Needs tmux, kvdeck-sim and msgfmt.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

KVDECK=$top_builddir/src/kvdeck
SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
command -v msgfmt >/dev/null 2>&1 || skip "msgfmt (gettext) is not installed"
export KVDECK_SIM=$SIM
export TMPDIR=$SCR_DIR
mkdir -p "$SCR_DIR/locale/de/LC_MESSAGES"
msgfmt -o "$SCR_DIR/locale/de/LC_MESSAGES/kvdeck.mo" "$top_srcdir/po/de.po" ||
    fail "msgfmt failed on po/de.po"

# The first secret listing is throttled once (429, Retry-After: 4): the
# engine's progress text must be German too.
screen_start 80 24 "env LANGUAGE=de KVDECK_LOCALEDIR=$SCR_DIR/locale KVSIM_FAULTS='throttle,retry-after=4,area=vault,path=/secrets,count=1' $KVDECK --demo --read-only"
wait_for "Tresore (4)" 30
assert_screen "Kontext (2)" "context pane in German"
assert_screen "Alle Abonnements" "breadcrumb in German"
assert_screen "schreibgeschützt" "read-only shown in German"
assert_screen "? Hilfe" "status bar in German"
screen_text | tail -n 1 | grep -qF "Enter öffnen  Tab nächster Bereich" ||
    fail "key hints in the status bar not German"
pass "key hints in the status bar in German"
keys :
type_text "vault kv-contoso-app-prod"
keys Enter
wait_for "gedrosselt (429), neuer Versuch in" 20
pass "the engine's progress after a 429 is German (pane footer)"
wait_for "gedrosselt: neuer Versuch in" 3
pass "the back-off in the status bar is German"
for w in "retrying" "throttled" "attempt"; do
    screen_text | grep -qF -- "$w" && fail "English progress text on the screen: $w"
done
pass "no English progress text"
wait_for "Geheimnisse von kv-contoso-app-prod (5)"
screen_text | grep -qE "Name +Geändert +Läuft ab" || fail "column headings not German"
pass "column headings in German"
# The long breadcrumb keeps a blank before the read-only mark.
screen_text | head -n 1 | grep -qE "[^ ] +schreibgeschützt *$" ||
    fail "read-only mark glued to the breadcrumb"
pass "read-only mark apart from the breadcrumb"
# Time left until expiry, with German units (T = Tage, h = Stunden).
screen_text | grep "smtp-password" | grep -qE "noch (19T|20T) [0-9]+h" ||
    fail "time left not in German units"
pass "time left in German units"
wait_for "Inhaltstyp: password"
assert_screen "Läuft ab: nie" "detail summary in German"
for w in "Vaults" "Secrets" "Detail:" "help" "Context" "Content type" "read-only"; do
    screen_text | grep -qF -- "$w" && fail "English left on the screen: $w"
done
pass "no English labels left on the main screen"
keys e
wait_for "Endpunkte von kv-contoso-app-prod"
assert_screen "Öffentlicher Netzwerkzugriff: aktiviert" "endpoints pane in German"
keys '?'
wait_for "Tasten (Esc oder q schließt die Hilfe)"
assert_screen "nach unten" "help generated from the key table, in German"
keys G
wait_for "Schreibgeschützter Modus (--read-only): kvdeck ändert nichts."
pass "read-only mode explained in German in the help"
keys Escape
keys :
type_text "frobnicate"
keys Enter
wait_for "unbekannter Befehl „frobnicate“"
pass "messages in German"
keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
