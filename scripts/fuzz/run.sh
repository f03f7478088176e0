#!/usr/bin/env bash
# Builds a libFuzzer target (with AddressSanitizer) from the module's sources plus its entry point
# and runs it. Usage: scripts/fuzz/run.sh csv|config [runs, default 1000000] [extra libFuzzer flags]
# Run from the repository root; builds into .build-fuzz/ (git-ignored). Seeds: scripts/fuzz/corpus/<target>/.
set -euo pipefail
target=${1:?usage: scripts/fuzz/run.sh csv|config [runs]}
runs=${2:-1000000}
shift $(( $# >= 2 ? 2 : 1 ))
case "$target" in
    csv) module=TabularData; sources=(Sources/TabularData/*.swift Sources/TabularData/Transforms/*.swift scripts/fuzz/CSVReaderFuzzTarget.swift) ;;
    config) module=LabConfig; sources=(Sources/Lab/Config/*.swift scripts/fuzz/ConfigLoaderFuzzTarget.swift) ;;
    *) echo "unknown target $target (csv or config)" >&2; exit 64 ;;
esac
out=.build-fuzz
mkdir -p "$out/corpus-$target"
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name "$module" "${sources[@]}" -o "$out/$target-fuzz"
cp scripts/fuzz/corpus/"$target"/* "$out/corpus-$target/"
# -seed fixes libFuzzer's own randomness so a run can be repeated; -timeout is generous because the
# machine may be shared (a 14 s timeout under load did not reproduce: the input takes 0.1 s).
"$out/$target-fuzz" -seed=1 -runs="$runs" -max_len=4096 -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$out/$target-" "$@" "$out/corpus-$target"
