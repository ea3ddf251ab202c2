#!/usr/bin/env bash
# Speed figures for keylint against its peers, measured in ONE run so the ratios mean something
# on a shared, noisy machine. Prints medians and ratios; quote those, not absolute seconds.
#
#   bench/compare.sh CORPUS            full corpus: keylint, kingfisher, betterleaks, gitleaks, rg floor
#   bench/compare.sh --small           one small file, process start to exit (editor on save)
#   bench/compare.sh --repo-pass CORPUS   the repository-wide env pass: full scan vs --ignore env/
#
# Needs: a release build (cargo build --release), hyperfine, and the peers installed by
# ../shared/bench/install-peers.sh (KEYLINT_PEERS, default ~/.cache/keylint-peers). The corpus
# comes from ../shared/bench/make-corpus.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
K=${KEYLINT:-$here/target/release/keylint}
P=${KEYLINT_PEERS:-$HOME/.cache/keylint-peers}
shared=${KEYLINT_SHARED:-$here/../shared}
[ -x "$K" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

case "${1:-}" in
--small)
  d=$(mktemp -d)
  trap 'rm -rf "$d"' EXIT
  {
    echo "# local development settings"
    for i in $(seq 1 16); do echo "SETTING_$i=value$i"; done
    echo "DATABASE_PASSWORD=Xk8v2LpQ9mWz4tRbQ7"
    echo "REDIS_URL=redis://localhost:6379/0"
    echo "TZ=UTC"
  } >"$d/.env"
  args=(--style basic --warmup 3 --runs "${RUNS:-20}" -i --export-json "$d/r.json")
  args+=(-n keylint "$K check -q --format json --output /dev/null $d/.env")
  args+=(-n rg "rg -c -i -e 'password|token|secret' $d/.env")
  [ -x "$P/bin/kingfisher" ] && args+=(-n kingfisher "$P/bin/kingfisher scan -n --no-update-check -q -f json -o $d/kf.json $d/.env")
  [ -x "$P/bin/betterleaks" ] && args+=(-n betterleaks "$P/bin/betterleaks fs --no-banner --no-color -s -o $d/bl.json $d/.env")
  [ -x "$P/bin/gitleaks" ] && args+=(-n gitleaks "$P/bin/gitleaks dir --no-banner --no-color -f json -r $d/gl.json $d/.env")
  [ -x "$P/cargo/bin/ripsecrets" ] && args+=(-n ripsecrets "$P/cargo/bin/ripsecrets $d/.env")
  hyperfine "${args[@]}" >/dev/null
  json=$d/r.json
  ;;
--repo-pass)
  C=$(realpath -- "${2:?usage: compare.sh --repo-pass CORPUS}")
  d=$(mktemp -d)
  trap 'rm -rf "$d"' EXIT
  hyperfine --style basic --warmup 1 --runs "${RUNS:-3}" -i --export-json "$d/r.json" \
    -n keylint "$K check -q --format json --output /dev/null $C" \
    -n keylint-no-env "$K check -q --format json --output /dev/null --ignore env/ $C" >/dev/null
  json=$d/r.json
  ;;
*)
  C=${1:?usage: compare.sh CORPUS | --small | --repo-pass CORPUS}
  exec bash "$shared/bench/compare.sh" "$C" "$K"
  ;;
esac
python3 - "$json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
k = next(r for r in rs if r["command"] == "keylint")["median"]
print(f"{'tool':<16} {'median ms':>10} {'keylint / tool':>15}")
for r in sorted(rs, key=lambda r: r["median"]):
    print(f"{r['command']:<16} {r['median']*1000:>10.1f} {k / r['median']:>15.2f}")
PY
