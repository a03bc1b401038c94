#!/usr/bin/env bash
# Regenerates the wire codec from Kafka's JSON specs:
#   Sources/KafkaProtocol/Generated/*.swift, Sources/BrokerCore/Generated/ErrorCode.swift and
#   Tests/KafkaProtocolTests/Generated/*.swift.
# The list of generated APIs is Sources/MessageGenerator/GeneratedSchemas.swift.
#
#   scripts/generate-protocol.sh [OUTPUT_ROOT]     default: the repository root
#
# Specs are read from ../shared/kafka-protocol/3.9 (override with KAFKA_SPECS, a path relative
# to the repository root; it is quoted in the generated headers). Builds the generator with
# scratch path .build-gen.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
specs="${KAFKA_SPECS:-../shared/kafka-protocol/3.9}"
out="${1:-.}"
[ -d "$specs/messages" ] || { echo "generate-protocol.sh: no specs at $specs" >&2; exit 2; }
swift build --scratch-path .build-gen --product MessageGenerator >&2
"$(swift build --scratch-path .build-gen --product MessageGenerator --show-bin-path)/MessageGenerator" "$specs" "$out"
