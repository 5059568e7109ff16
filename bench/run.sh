#!/usr/bin/env bash
# Benchmarks against tshark (see bench/README.md). Generates the synthetic captures on first use
# into bench/out/ (not committed).
#   bash bench/run.sh [messages|calls|analyze] [--big]
# --big adds the ~1 GB capture (needs ~1.1 GB of disk and a few minutes for tshark).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-messages}
big=${2:-}
bin=${SIPSLEUTH:-build/sipsleuth}
mkdir -p bench/out
[[ -f bench/out/gen-100mb.pcap ]] || python3 bench/gen_capture.py bench/out/gen-100mb.pcap --mb 100
files=(tests/data/corpus/pcap/sipnab_sipp-load_9k-messages.pcapng bench/out/gen-100mb.pcap)
if [[ "$big" == "--big" ]]; then
    [[ -f bench/out/gen-1gb.pcap ]] || python3 bench/gen_capture.py bench/out/gen-1gb.pcap --mb 1000
    files+=(bench/out/gen-1gb.pcap)
fi
python3 bench/bench.py "$bin" "$mode" "${files[@]}"
