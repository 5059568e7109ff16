#!/usr/bin/env bash
# Static rules that the compiler does not enforce:
#  - dependencies point downwards only (STYLE.md): a module includes only its own headers and
#    those of modules below it;
#  - banned functions (base/banned.h) are not called;
#  - every .c under src/ opens with a comment saying what it does.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0

# Module -> modules it may include (besides itself).
declare -A allowed=(
    [base]=""
    [capture]="base"
    [sip]="base"
    [ingest]="base capture sip"
    [engine]="base capture sip ingest"
    [diag]="base capture sip ingest engine"
    [metrics]="base capture sip ingest engine diag"
    [report]="base capture sip ingest engine diag metrics"
    [store]="base capture sip ingest engine diag metrics report"
    [web]="base capture sip ingest engine diag metrics report"
    [cli]="base capture sip ingest engine diag metrics report store web"
)

while IFS= read -r f; do
    mod=$(sed -E 's#^src/([^/]+)/.*#\1#' <<<"$f")
    ok=" $mod ${allowed[$mod]:-} "
    while IFS= read -r inc; do
        dep=${inc%%/*}
        if [[ "$ok" != *" $dep "* ]]; then
            echo "lint: $f includes \"$inc\": $mod may not depend on $dep"
            rc=1
        fi
    done < <(grep -oE '^#include "[a-z_]+/[^"]+"' "$f" | sed -E 's/#include "(.*)"/\1/')
done < <(find src -name '*.[ch]' | sort)

if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strncpy|strtok|atoi|gets)\s*\(' \
    $(find src -name '*.c' -o -name '*.h' | grep -v banned.h) | grep -v '^\S*:\s*/\?\*'; then
    echo "lint: banned function used (see src/base/banned.h)"
    rc=1
fi

while IFS= read -r f; do
    if ! head -1 "$f" | grep -q '^/\*'; then
        echo "lint: $f does not open with a comment describing the file"
        rc=1
    fi
done < <(find src -name '*.c' | sort)

if ((rc == 0)); then
    echo "lint: ok"
fi
exit $rc
