#!/usr/bin/env bash
# Fuzzes request header + body decoding (Sources/RequestDecoderFuzzer) with libFuzzer and
# AddressSanitizer for a bounded time, seeded with the golden client frames.
#
#   scripts/fuzz.sh [SECONDS]        default 60
#
# Scratch path .build-fuzz; the growing corpus is kept in .build-fuzz/corpus and any crashing
# input is written to .build-fuzz/artifacts/. Exits non-zero if the fuzzer finds a crash, a leak
# or a timeout. Replay a crash with a normal build:
#   swift run RequestDecoderFuzzer .build-fuzz/artifacts/crash-...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-60}"
# swiftc keeps only the LAST -sanitize= flag, so SwiftPM's separate --sanitize=fuzzer --sanitize=address
# would build Swift code with AddressSanitizer but without coverage; the combined -Xswiftc flag
# (which comes last) restores both. The --sanitize flags still instrument the C targets and link.
flags=(--scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
  --product RequestDecoderFuzzer)

swift build "${flags[@]}"
bin="$(swift build "${flags[@]}" --show-bin-path)/RequestDecoderFuzzer"

seeds=.build-fuzz/seeds
corpus=.build-fuzz/corpus
artifacts=.build-fuzz/artifacts
mkdir -p "$seeds" "$corpus" "$artifacts"
cp Tests/KafkaProtocolTests/Golden/*.bin "$seeds"/

echo "fuzz.sh: running $bin for ${seconds}s"
# The Swift runtime's backtracer would otherwise handle a crash before libFuzzer can record it.
# libFuzzer's progress lines go to .build-fuzz/fuzz.log; its summary (or the crash) is printed.
status=0
SWIFT_BACKTRACE=enable=no "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -use_value_profile=1 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$corpus" "$seeds" > .build-fuzz/fuzz.log 2>&1 || status=$?
if [ $status -ne 0 ]; then
  tail -60 .build-fuzz/fuzz.log
  echo "fuzz.sh: the fuzzer failed (exit $status); see .build-fuzz/fuzz.log and $artifacts/"
  exit $status
fi
grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus)" .build-fuzz/fuzz.log || true
echo "fuzz.sh: no crash in ${seconds}s"
