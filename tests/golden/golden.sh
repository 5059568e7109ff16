# Sourced by the golden *.test.sh scripts. golden_compare DIR CASE EXT...: for each EXT, compare
# $tmp/CASE.EXT with DIR/expected.EXT and print the start of the diff when they differ (return
# 1), or rewrite DIR/expected.EXT when UPDATE_GOLDEN=1.

golden_compare() {
    local dir=$1 case=$2 ext rc=0
    shift 2
    for ext in "$@"; do
        if [[ "${UPDATE_GOLDEN:-}" == 1 ]]; then
            cp "$tmp/$case.$ext" "$dir/expected.$ext"
        elif ! diff -u "$dir/expected.$ext" "$tmp/$case.$ext" > "$tmp/diff"; then
            echo "FAIL $case: expected.$ext differs:"
            head -60 "$tmp/diff"
            rc=1
        fi
    done
    return $rc
}
