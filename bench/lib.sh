# bench/lib.sh — what the benchmarks that race kvdeck against the az CLI
# on one kvdeck-sim share (sourced by bench/vault-create.sh and
# bench/attach.sh once they have read their options). The script sets
# first: bench (its name, for messages and file names), top, build, rev,
# do_build, write, keep. Then, in order:
#
#   bench_setup            tools (curl, jq, az: else exit 77), a private
#                          work directory removed at exit (--keep keeps
#                          it), the builds (KVDECK, SIM)
#   bench_sim ARGS...      one kvdeck-sim (--seed demo ARGS): CONN, CA,
#                          PROXY, SUB, ARM; conn KEY reads connection.json
#   bench_clients          kvdeck's config (kvd ARGS: kvdeck with it) and
#                          az signed in through the simulator's CONNECT
#                          proxy (client_env CMD: a command in az's
#                          environment); az_ver
#   rec KEY VALUE          one measurement into $work/runs.txt
#   stats/med/row/ratio    the report's figures and table rows
#   bench_built            "a clean export of commit C" or "the working tree…"
#   bench_write TITLE TEXT replaces the section "## TITLE" of RESULTS.md
#
# az runs with tests/conformance/az on PYTHONPATH: Debian's az 2.45
# cannot load `az network` otherwise (tests/conformance/az/sitecustomize.py).
# Loopback only. Not part of make check.

say() { echo "$bench: $*" >&2; }
die() { say "$*"; exit 1; }
skip() { say "SKIP: $*"; exit 77; }
now_ns() { date +%s%N; }
rec() { echo "$1 $2" >>"$work/runs.txt"; }

bench_setup() {
    local p
    for p in curl jq; do
        command -v $p >/dev/null 2>&1 || skip "$p is not installed (tests/conformance/install.sh)"
    done
    command -v az >/dev/null 2>&1 || skip "az CLI is not installed (tests/conformance/install.sh)"
    work=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-$bench.XXXXXX") || exit 1
    chmod 700 "$work"
    export LANG=C.UTF-8
    unset LC_ALL LANGUAGE LC_MESSAGES
    sim_pid=
    trap bench_cleanup EXIT
    trap 'say "interrupted"; exit 130' INT TERM
    bench_build
    t_script=$(date +%s)
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
}

bench_cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    if [ "$keep" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}

bench_build() {
    if [ -n "$rev" ]; then
        commit=$(git -C "$top" rev-parse --short "$rev^{commit}") || die "no commit $rev"
        build=$work/build
        say "building $commit from a clean export in $work/src"
        mkdir -p "$work/src" "$build"
        git -C "$top" archive "$commit" | tar -x -C "$work/src" || die "git archive failed"
        (cd "$work/src" && autoreconf -fi >"$work/autoreconf.log" 2>&1) || die "autoreconf failed"
        (cd "$build" && "$work/src/configure" --enable-werror >configure.log 2>&1) || die "configure failed"
        make -C "$build" -j"$(nproc)" src/kvdeck src/sim/kvdeck-sim >"$build/make.log" 2>&1 ||
            die "build failed, see $build/make.log"
    elif [ "$do_build" = 1 ]; then
        if [ ! -f "$build/Makefile" ]; then
            mkdir -p "$build" && (cd "$build" && "$top/configure" --enable-werror >configure.log 2>&1) ||
                die "configure failed, see $build/configure.log"
        fi
        say "building kvdeck and kvdeck-sim in $build"
        make -C "$build" -j"$(nproc)" src/kvdeck src/sim/kvdeck-sim >"$build/bench-$bench-make.log" 2>&1 ||
            die "build failed, see $build/bench-$bench-make.log"
    fi
    KVDECK=$build/src/kvdeck
    SIM=$build/src/sim/kvdeck-sim
    [ -x "$KVDECK" ] && [ -x "$SIM" ] || die "$KVDECK or $SIM is not built"
}

bench_sim() {
    local line=
    mkdir -p "$work/state"
    "$SIM" --state-dir "$work/state" --listen 127.0.0.1:0 --seed demo "$@" \
        >"$work/sim.out" 2>"$work/sim.err" </dev/null &
    sim_pid=$!
    for _ in $(seq 1 300); do
        line=$(head -n 1 "$work/sim.out" 2>/dev/null)
        case $line in "ready "*) break ;; esac
        kill -0 "$sim_pid" 2>/dev/null || { tail "$work/sim.err" >&2; die "kvdeck-sim exited"; }
        sleep 0.1
    done
    case $line in "ready "*) ;; *) die "kvdeck-sim not ready within 30 s" ;; esac
    CONN=${line#ready }
    CA=$(conn ca)
    PROXY=$(conn proxy)
    SUB=$(conn subscriptions)
    ARM=$(conn arm)
    case $PROXY in http://127.*) ;; *) die "connection.json: proxy $PROXY is not on loopback" ;; esac
}
conn() { jq -r --arg k "$1" '.[$k] | if type == "array" then .[0] else tostring end' "$CONN"; }

kvd() {
    env -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET \
        -u HTTPS_PROXY -u https_proxy -u HTTP_PROXY -u http_proxy -u ALL_PROXY -u all_proxy \
        XDG_CONFIG_HOME="$work/xdg/config" XDG_STATE_HOME="$work/xdg/state" \
        XDG_CACHE_HOME="$work/xdg/cache" KVDECK_JOURNAL="$work/journal.jsonl" \
        "$KVDECK" --config "$work/kvdeck.conf" "$@" </dev/null
}
client_env() {
    env -u ALL_PROXY -u all_proxy -u PYTHONHOME \
        -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET \
        PYTHONPATH="$top/tests/conformance/az" REQUESTS_CA_BUNDLE="$CA" \
        HTTPS_PROXY="$PROXY" https_proxy="$PROXY" HTTP_PROXY="$PROXY" http_proxy="$PROXY" \
        NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 "$@"
}

bench_clients() {
    (
        umask 077
        {
            echo "cloud = $(conn cloud_file)"
            echo "ca-file = $CA"
            echo "tenant = $(conn tenant)"
            echo "client-id = $(conn client_id)"
            echo "client-secret = $(conn client_secret)"
        } >"$work/kvdeck.conf"
    )
    mkdir -p "$work/xdg/config" "$work/xdg/state" "$work/xdg/cache"
    export AZURE_CONFIG_DIR=$work/az AZURE_CORE_COLLECT_TELEMETRY=false AZURE_CORE_NO_COLOR=true
    mkdir -p "$AZURE_CONFIG_DIR" && chmod 700 "$AZURE_CONFIG_DIR"
    printf '{"versions":{"azure-cli":{"local":"2.45.0"},"core":{"local":"2.45.0"},"telemetry":{"local":"1.0.8"}},"update_time":"%s"}\n' \
        "$(date '+%Y-%m-%d %H:%M:%S.%6N')" >"$AZURE_CONFIG_DIR/versionCheck.json"
    az_ver=$(client_env timeout 120 az version -o tsv --query '"azure-cli"' 2>/dev/null)
    say "az $az_ver: custom cloud and service-principal sign-in"
    client_env timeout 120 az cloud register -n kvsim --cloud-config @"$(conn cloud_file)" -o none 2>"$work/az.err" &&
        client_env timeout 120 az cloud set -n kvsim -o none 2>>"$work/az.err" &&
        client_env timeout 120 az login --service-principal -u "$(conn client_id)" \
            -p "$(conn client_secret)" --tenant "$(conn tenant)" -o none 2>>"$work/az.err" &&
        client_env timeout 120 az account set --subscription "$SUB" 2>>"$work/az.err" ||
        { cat "$work/az.err" >&2; die "az sign-in against the simulator failed"; }
    : >"$work/runs.txt"
}

stats() { # KEY: "median min max all"
    awk -v k="$1" '$1 == k { print $2 }' "$work/runs.txt" | sort -n | awk '
        { v[NR] = $1 }
        END { if (NR == 0) { print "- - - -"; exit }
              m = NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2 + 0.5)
              all = v[1]; for (i = 2; i <= NR; i++) all = all ", " v[i]
              print m, v[1], v[NR], all }'
}
med() { stats "$1" | cut -d' ' -f1; }
row() { # LABEL KEY UNIT
    local m lo hi all
    read -r m lo hi all <<<"$(stats "$2")"
    echo "| $1 | $m$3 | $lo$3 | $hi$3 | $all |"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f", a / b; else print "-" }'; }

bench_built() {
    local dirty
    if [ -n "$rev" ]; then
        echo "a clean export of commit $commit"
    else
        commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')
        dirty=$(git -C "$top" status --porcelain -- src 2>/dev/null | head -n 1)
        echo "the working tree at $commit${dirty:+ (with uncommitted changes under src/)}"
    fi
}

# The sed of the --log excerpts: kvdeck's stamps, durations, ids masked.
bench_log_sed() {
    sed -E -e 's/^[0-9-]+T([0-9:.]+)Z /\1 /' \
        -e 's/ \([0-9]+ bytes, ([0-9]+ ms), attempt [0-9]+.*\)/ (\1)/' \
        -e 's#https://[^ ]*vault\.localhost:[0-9]+#VAULT#' -e 's#https://127.0.0.1:[0-9]+#ARM#' \
        -e 's#/subscriptions/[0-9a-f-]+#/subscriptions/S#' -e 's/[0-9a-f]{8}-[0-9a-f-]{27}/GUID/g' \
        -e 's/\?api-version=[^ ]*//'
}

bench_write() { # TITLE SECTION
    python3 - "$top/bench/RESULTS.md" "$1" "$2" <<'PY'
import re, sys
path, title, section = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
pat = re.compile(r"^## " + re.escape(title) + r"\n.*?(?=^## |\Z)", re.S | re.M)
text = pat.sub(lambda m: section + "\n\n", text) if pat.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
    say "wrote the section into bench/RESULTS.md"
}
