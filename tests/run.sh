#!/bin/sh
# tests/run.sh UNIT_TESTS LUAGRAD [FUZZ_REPLAY]: runs every test of luagrad
# (and, given FUZZ_REPLAY, the fuzz harnesses on their seeds and the inputs
# that once crashed: tests/fuzz/*/seed, */regress) and ends with
# one line "N passed, N failed, N skipped"; exits non-zero when anything
# failed. Skipped tests (a program they need is missing) are listed with
# their reason and never count as passed.
#
# Each test program prints "ok - name", "not ok - name" or "skip - name:
# reason" lines and, last, "# N passed, N failed" with ", N skipped" when it
# can skip. A program that dies without that line (a crash, a sanitizer
# report) counts as one more failure.
unit=$1
LUAGRAD=$2
replay=${3:-}
export LUAGRAD
passed=0
failed=0
skipped=0
log=$(mktemp)
skips=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$log" "$skips" "$work"' EXIT

run_one() {
  name=$1
  shift
  "$@" >"$log" 2>&1
  status=$?
  summary=$(grep -E '^# [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    cat "$log"
    echo "not ok - $name: exited with status $status without a summary line"
    failed=$((failed + 1))
    return
  fi
  p=$(echo "$summary" | sed -E 's/^# ([0-9]+) passed.*/\1/')
  f=$(echo "$summary" | sed -E 's/^# [0-9]+ passed, ([0-9]+) failed.*/\1/')
  s=$(echo "$summary" | sed -E -n 's/.* ([0-9]+) skipped$/\1/p')
  s=${s:-0}
  if [ "$f" -gt 0 ] || [ "$status" -ne 0 ]; then
    grep -v -e '^ok - ' -e '^skip - ' "$log"   # the failures in full, not the passes
    [ "$f" -eq 0 ] && f=1 && echo "not ok - $name: exit status $status"
  fi
  grep '^skip - ' "$log" | sed "s|^skip - |$name: |" >>"$skips"
  if [ "$s" -gt 0 ]; then
    printf '%-28s %4d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
  else
    printf '%-28s %4d passed, %d failed\n' "$name" "$p" "$f"
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
}

run_one "unit (C core)" "$unit"
if [ -n "$replay" ]; then
  set --  # the inputs there are (a folder may be empty)
  for f in tests/fuzz/*/seed/* tests/fuzz/*/regress/*; do [ -f "$f" ] && set -- "$@" "$f"; done
  run_one "fuzz inputs (replayed)" "$replay" "$@"
fi
for t in ${TESTS:-tests/test_*.lua}; do  # TESTS: a subset (make valgrind in CI)
  run_one "$(basename "$t" .lua)" "$LUAGRAD" -q --out "$work/$(basename "$t" .lua)" "$t"
done
if [ "$skipped" -gt 0 ]; then
  echo "skipped, for want of a program (make test installs them when run as root," \
    "unless LUAGRAD_NO_INSTALL is set, and not 0):"
  sed 's/^/  /' "$skips"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
