#!/usr/bin/env bash
# The whole test suite, as CI runs it (make check):
#   1. gcc build, warnings as errors, every test
#   2. clang build, warnings as errors, every test
#   3. ASan + UBSan build (clang), every test
#   4. libFuzzer: each target runs FUZZ_SECONDS (default 60); a crash fails the stage and the
#      input is kept under tests/fuzz-regress/<target>/ for the replay tests
#   5. lint: upward includes, banned functions, formatting
# Prints "N passed, N failed" last; exits non-zero if anything failed.
# STAGES="gcc clang asan fuzz lint" selects stages; JOBS sets parallelism.
set -uo pipefail
cd "$(dirname "$0")/.."

STAGES=${STAGES:-"gcc clang asan fuzz lint"}
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
passed=0
failed=0
failures=()

note() { printf '\n=== %s ===\n' "$*"; }

# ctest stage: configure, build, run; add its counts.
ctest_stage() {
    local name=$1 dir=$2
    shift 2
    note "$name: build"
    if ! cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$dir.configure.log" 2>&1; then
        cat "$dir.configure.log"
        echo "$name: CONFIGURE FAILED"
        failed=$((failed + 1))
        failures+=("$name: configure")
        return
    fi
    if ! cmake --build "$dir" -j "$JOBS" >"$dir.build.log" 2>&1; then
        grep -E 'error|warning|undefined' "$dir.build.log" | head -40
        echo "$name: BUILD FAILED"
        failed=$((failed + 1))
        failures+=("$name: build")
        return
    fi
    note "$name: test"
    local log="$dir/ctest.log"
    (cd "$dir" && ctest -j "$JOBS" --output-on-failure --timeout 900) 2>&1 | tee "$log" |
        grep -E '^\s*[0-9]+/[0-9]+ Test|tests passed|Failed|\*\*\*' | sed 's/^/  /'
    local line
    line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
    if [[ -z "$line" ]]; then
        echo "$name: no ctest summary"
        failed=$((failed + 1))
        failures+=("$name: ctest did not finish")
        return
    fi
    local nfail total
    nfail=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
    passed=$((passed + total - nfail))
    failed=$((failed + nfail))
    if ((nfail > 0)); then
        while read -r t; do failures+=("$name: $t"); done < <(grep -E '^\s+[0-9]+ - ' "$log" | grep -v '(Skipped)' | sed -E 's/^\s+[0-9]+ - //')
    fi
}

fuzz_stage() {
    local dir=build-fuzz
    note "fuzz: build (clang, libFuzzer)"
    if ! CC=clang cmake -S . -B "$dir" -DSIPSLEUTH_FUZZ=ON -DSIPSLEUTH_TESTS=OFF \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || ! cmake --build "$dir" -j "$JOBS" >/dev/null; then
        echo "fuzz: BUILD FAILED"
        failed=$((failed + 1))
        failures+=("fuzz: build")
        return
    fi
    for bin in "$dir"/fuzz/fuzz_*; do
        [[ -x "$bin" ]] || continue
        local name short work
        name=$(basename "$bin")
        short=${name#fuzz_}
        work=$(mktemp -d)
        mkdir -p "fuzz/corpus/$short" "tests/fuzz-regress/$short"
        local dict=()
        [[ -f "fuzz/$short.dict" ]] && dict=(-dict="fuzz/$short.dict")
        [[ -f "fuzz/sip.dict" && ${#dict[@]} -eq 0 ]] && dict=(-dict=fuzz/sip.dict)
        printf '  %-24s %ss ... ' "$short" "$FUZZ_SECONDS"
        if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 "${dict[@]}" \
            -artifact_prefix="$work/" "$work" "fuzz/corpus/$short" >"$work/log" 2>&1; then
            echo "ok ($(grep -oE 'cov: [0-9]+' "$work/log" | tail -1))"
            passed=$((passed + 1))
        else
            echo "FAILED"
            tail -n 30 "$work/log"
            for a in "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-*; do
                [[ -f "$a" ]] && cp "$a" "tests/fuzz-regress/$short/" && echo "  kept $(basename "$a") in tests/fuzz-regress/$short/"
            done
            failed=$((failed + 1))
            failures+=("fuzz: $short")
        fi
        rm -rf "$work"
    done
}

lint_stage() {
    note "lint"
    if bash scripts/lint.sh; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("lint")
    fi
}

for s in $STAGES; do
    case $s in
    gcc) CC=gcc ctest_stage gcc build ;;
    clang) CC=clang ctest_stage clang build-clang ;;
    asan) CC=clang ASAN_OPTIONS=detect_leaks=1 ctest_stage asan build-asan -DSIPSLEUTH_SANITIZE=ON ;;
    fuzz) fuzz_stage ;;
    lint) lint_stage ;;
    *) echo "unknown stage $s"; exit 2 ;;
    esac
done

echo
if ((${#failures[@]})); then
    echo "Failures:"
    printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
((failed == 0))
