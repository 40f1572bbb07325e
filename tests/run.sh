#!/bin/sh
# tests/run.sh UNIT_TESTS LUAGRAD: runs every test of luagrad and ends with
# one line "N passed, N failed"; exits non-zero when anything failed.
#
# Each test program prints "ok - name" or "not ok - name" lines and, last,
# "# N passed, N failed". A program that dies without that line (a crash, a
# sanitizer report) counts as one more failure.
unit=$1
LUAGRAD=$2
export LUAGRAD
passed=0
failed=0
log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$log" "$work"' EXIT

run_one() {
  name=$1
  shift
  "$@" >"$log" 2>&1
  status=$?
  summary=$(grep -E '^# [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    cat "$log"
    echo "not ok - $name: exited with status $status without a summary line"
    failed=$((failed + 1))
    return
  fi
  p=$(echo "$summary" | sed -E 's/^# ([0-9]+) passed.*/\1/')
  f=$(echo "$summary" | sed -E 's/.* ([0-9]+) failed$/\1/')
  if [ "$f" -gt 0 ] || [ "$status" -ne 0 ]; then
    grep -v '^ok - ' "$log"   # the failures in full, not the passes
    [ "$f" -eq 0 ] && f=1 && echo "not ok - $name: exit status $status"
  fi
  printf '%-28s %4d passed, %d failed\n' "$name" "$p" "$f"
  passed=$((passed + p))
  failed=$((failed + f))
}

run_one "unit (C core)" "$unit"
for t in tests/test_*.lua; do
  run_one "$(basename "$t" .lua)" "$LUAGRAD" -q --out "$work/$(basename "$t" .lua)" "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
