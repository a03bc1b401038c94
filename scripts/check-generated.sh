#!/usr/bin/env bash
# Fails (exit 1, printing the diff) if regenerating the codec would change any committed file in
# Sources/KafkaProtocol/Generated, Sources/BrokerCore/Generated/ErrorCode.swift or
# Tests/KafkaProtocolTests/Generated. Exits 0 with a notice when the specs (../shared) are absent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
specs="${KAFKA_SPECS:-../shared/kafka-protocol/3.9}"
if [ ! -d "$specs/messages" ]; then
  echo "check-generated.sh: $specs not found; skipping the generated-code check."
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/generate-protocol.sh "$tmp"
status=0
for dir in Sources/KafkaProtocol/Generated Tests/KafkaProtocolTests/Generated; do
  diff -ru "$dir" "$tmp/$dir" || status=1
done
diff -u Sources/BrokerCore/Generated/ErrorCode.swift "$tmp/Sources/BrokerCore/Generated/ErrorCode.swift" || status=1
if [ "$status" -ne 0 ]; then
  echo "check-generated.sh: generated code is stale; run scripts/generate-protocol.sh" >&2
else
  echo "check-generated.sh: generated code is up to date."
fi
exit "$status"
