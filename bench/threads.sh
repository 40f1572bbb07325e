#!/bin/sh
# threads.sh: full-batch gradient descent (bench/luagrad/threads.lua) with 1
# and 2 threads, on an idle machine and then with one core kept busy by a
# shell loop. Runs alternate between 1 and 2 threads; each line gives the
# median over REPS runs of each run's median epoch, in microseconds.
#   sh bench/threads.sh [LUAGRAD] [REPS]
LG=${1:-./luagrad}
REPS=${2:-5}
dir=$(dirname "$0")
out=${TMPDIR:-/tmp}/luagrad-threads.$$
mkdir -p "$out"

once() {  # n epochs threads
    LUAGRAD_THREADS=$3 "$LG" --out "$out" "$dir/luagrad/threads.lua" n=$1 epochs=$2 |
        sed -n 's/^median_us=//p'
}

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# How idle the CPUs are over a second, before a measurement (Linux): other
# people's jobs change every number here.
cpu() { awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat 2>/dev/null; }
idle() {
    before=$(cpu); sleep 1
    echo "$before $(cpu)" | awk 'NF == 4 { printf "%.0f%%", 100 * ($3 - $1) / ($3 - $1 + $4 - $2) }'
}

table() {
    for case in "100000 2000" "1000000 300"; do
        set -- $case
        : > "$out/t1"; : > "$out/t2"
        idle=$(idle)
        i=0
        while [ $i -lt "$REPS" ]; do
            once $1 $2 1 >> "$out/t1"
            once $1 $2 2 >> "$out/t2"
            i=$((i + 1))
        done
        one=$(median "$out/t1") two=$(median "$out/t2")
        echo "$label n=$1: epoch 1 thread $one us, 2 threads $two us," \
             "speed-up $(echo "$one $two" | awk '{ printf "%.2f", $1 / $2 }') (CPUs idle before: ${idle:-?})"
    done
}

label=idle
table
if command -v taskset >/dev/null; then pin="taskset -c 1"; else pin=; fi
$pin sh -c 'while :; do :; done' &
busy=$!
trap 'kill $busy 2>/dev/null' EXIT INT TERM HUP PIPE
label=busy
table
kill $busy
rm -rf "$out"
