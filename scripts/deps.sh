#!/usr/bin/env bash
# Install the Debian 12 packages sipsleuth needs, skipping those already present.
#   bash scripts/deps.sh          build + run (compiler, cmake, cmocka, zlib)
#   bash scripts/deps.sh --test   also everything the full test suite uses (clang + libFuzzer,
#                                 tshark, tcpdump, sipp, kamailio, chromium, node)
# Idempotent: a second run installs nothing. Needs root (or sudo) only when something is missing.
set -euo pipefail

build_pkgs=(gcc make cmake pkg-config libc6-dev zlib1g-dev libcmocka-dev)
test_pkgs=(clang libclang-rt-14-dev tshark tcpdump sip-tester kamailio iproute2 iptables
           libnetfilter-queue-dev python3 procps psmisc file)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then
    want+=("${test_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "deps: all ${#want[@]} packages present"
    exit 0
fi

echo "deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections || true
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
