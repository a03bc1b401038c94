#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): installs what it needs, then
#   1. layering check (scripts/check-imports.sh)
#   2. generated codec is up to date (scripts/check-generated.sh; skipped only without ../shared)
#   3. debug build of every product
#   4. unit tests (swift test: Swift Testing, one target per module; ZooKeeper tests start a real server)
#   5. bounded libFuzzer run over the request decoder (FUZZ_SECONDS, default 60)
#   6. integration tests: real brokers on loopback driven by kcat, the Java client, kafka-python,
#      confluent-kafka (pytest Tests/Integration)
# Env: FUZZ_SECONDS (0 skips the fuzz step), PYTEST_ARGS (extra pytest arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { echo; echo "=== [$((SECONDS - start))s] $*"; }

step "install dependencies"
scripts/install-deps.sh

step "layering"
scripts/check-imports.sh

step "generated code"
scripts/check-generated.sh

step "build"
swift build --build-tests 2>&1 | grep -E "(error|warning):|Build complete" | sort -u || true
swift build --build-tests  # fails the script if the build failed

step "unit tests"
swift test --skip-build 2>&1 | tee .build/unit-tests.log | grep -E "✘|Test run with" || true
grep -qE "Test run with [0-9]+ tests? .*passed" .build/unit-tests.log && ! grep -q "✘" .build/unit-tests.log \
  || { echo "unit tests failed (see .build/unit-tests.log)"; grep -E "✘|error:" .build/unit-tests.log | head -50; exit 1; }

if [ "${FUZZ_SECONDS:-60}" != "0" ]; then
  step "fuzz the request decoder for ${FUZZ_SECONDS:-60}s"
  scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
fi

step "integration tests"
MARTLET_BIN="$PWD/.build/debug/martlet" python3 -m pytest Tests/Integration -q -p no:cacheprovider ${PYTEST_ARGS:-}

echo "all test steps passed in $((SECONDS - start))s"
