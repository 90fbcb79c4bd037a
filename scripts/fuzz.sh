#!/usr/bin/env bash
# Builds the libFuzzer target on the request decoders (Fuzz/FuzzDecoders) with the fuzzer and
# address sanitizers, in its own build folder (.build-fuzz, so the normal build is untouched),
# and runs it from the seed corpus in Fuzz/corpus (messages of Docs/PROTOCOL.md).
#
#   scripts/fuzz.sh                 1,000,000 executions
#   FUZZ_RUNS=100000 scripts/fuzz.sh
#   scripts/fuzz.sh -max_total_time=600    extra arguments go to libFuzzer
#
# A crash leaves its input as .build-fuzz/artifacts/crash-*; replay it with
#   .build-fuzz/debug/FuzzDecoders .build-fuzz/artifacts/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
RUNS=${FUZZ_RUNS:-1000000}

ENABLE_FUZZING=1 $SWIFT build -c debug --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --product FuzzDecoders
mkdir -p .build-fuzz/corpus .build-fuzz/artifacts
# Leak reports are off: GRDB's cached statements and the scratch store live until exit.
ASAN_OPTIONS=detect_leaks=0 .build-fuzz/debug/FuzzDecoders -runs="$RUNS" -max_len=65536 -print_final_stats=1 -detect_leaks=0 \
    -artifact_prefix=.build-fuzz/artifacts/ "$@" .build-fuzz/corpus Fuzz/corpus
