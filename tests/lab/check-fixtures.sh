#!/usr/bin/env bash
# check-fixtures.sh [DIR] — re-verify every committed lab fixture (DIR defaults to
# tests/data/lab) with tshark only, independently of sipsleuth: for each NAME.truth.json,
# NAME.pcap must hold exactly the SIP messages the truth file counts, per call and hop
# (method, or response code + CSeq method), the final responses the caller saw on the
# originating leg, the CANCEL origin and Reason per leg, and no malformed packet.
# Needs tshark and python3; no root. Exit 0 if all match, 1 otherwise, 77 without tshark.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../data/lab}
command -v tshark >/dev/null || { echo "check-fixtures: tshark not found" >&2; exit 77; }
command -v python3 >/dev/null || { echo "check-fixtures: python3 not found" >&2; exit 77; }
ok=0
bad=0
shopt -s nullglob
for truth in "$dir"/*.truth.json; do
    pcap=${truth%.truth.json}.pcap
    if [[ ! -f $pcap ]]; then
        echo "$(basename "$truth"): no capture next to it"
        bad=$((bad + 1))
        continue
    fi
    if python3 "$here/lib/labtool.py" check --pcap "$pcap" --truth "$truth"; then
        ok=$((ok + 1))
    else
        bad=$((bad + 1))
    fi
done
if ((ok + bad == 0)); then
    echo "check-fixtures: no truth files in $dir" >&2
    exit 1
fi
echo "check-fixtures: $ok ok, $bad failed"
((bad == 0))
