#!/bin/sh
# Times `evaluate` for docs/METRICS.md: copies the package to a temporary directory, adds the
# driver scripts/eval/evalbench_main.swift as an executable target there (the repository's
# Package.swift is untouched), builds it in release mode and runs it.
# Usage (from the repository root): scripts/eval/bench.sh [THREADS] [DCR_ROWS]
set -eu
root=$(pwd)
work=${TMPDIR:-/tmp}/tabcorr-evalbench
mkdir -p "$work"
rm -rf "$work/Sources" "$work/Tests"
cp -R "$root/Package.swift" "$root/Sources" "$root/Tests" "$work/"
mkdir -p "$work/Sources/evalbench"
cp "$root/scripts/eval/evalbench_main.swift" "$work/Sources/evalbench/main.swift"
sed -i.bak 's|        .executableTarget(name: "tabcorr", dependencies: \["Lab"\], swiftSettings: settings),|&\n        .executableTarget(name: "evalbench", dependencies: ["Evaluation", "TensorKit", "TabularData"], swiftSettings: settings),|' "$work/Package.swift"
cd "$work"
swift build -c release --product evalbench
./.build/release/evalbench "${1:-2}" ${2:-}
