#!/usr/bin/env bash
# Fails when a module under Sources/ imports a module it must not (the layering in
# docs/architecture.md). Like Kafka's import-control files: dependencies point one way.
set -euo pipefail
cd "$(dirname "$0")/.."

# Always allowed: the platform's own modules.
SYSTEM="Glibc Musl Darwin Dispatch Synchronization _Concurrency"

allowed() { # allowed MODULE -> the modules MODULE may import
  case "$1" in
    BrokerCore)            echo "" ;;
    KafkaProtocol)         echo "BrokerCore NIOCore" ;;
    CCRC32C|CZooKeeper)    echo "" ;;
    KafkaRecords)          echo "BrokerCore CCRC32C NIOCore" ;;
    LogStorage)            echo "BrokerCore KafkaRecords NIOCore Logging SystemPackage DequeModule Atomics Foundation" ;;
    Replication)           echo "BrokerCore KafkaRecords LogStorage NIOCore Logging" ;;
    Coordination)          echo "BrokerCore Logging Foundation" ;;
    ZooKeeperCoordination) echo "BrokerCore Coordination CZooKeeper Logging Foundation" ;;
    Controller)            echo "BrokerCore Coordination Logging Foundation" ;;
    GroupCoordination)     echo "BrokerCore KafkaProtocol KafkaRecords NIOCore Logging DequeModule Foundation" ;;
    BrokerAPI)             echo "BrokerCore KafkaProtocol KafkaRecords LogStorage Replication GroupCoordination Coordination Controller NIOCore Logging" ;;
    ReplicaFetcher)        echo "BrokerCore KafkaProtocol KafkaRecords LogStorage Replication KafkaClient NIOCore NIOPosix Logging" ;;
    MartletAdmin)          echo "BrokerCore KafkaProtocol KafkaClient NIOCore NIOPosix Logging Foundation" ;;
    BrokerServer)          echo "BrokerCore KafkaProtocol BrokerAPI NIOCore NIOPosix Logging" ;;
    KafkaClient)           echo "BrokerCore KafkaProtocol NIOCore NIOPosix Logging" ;;
    Broker)                echo "BrokerCore KafkaProtocol KafkaRecords LogStorage Replication GroupCoordination ReplicaFetcher Coordination Controller ZooKeeperCoordination BrokerAPI BrokerServer KafkaClient NIOCore NIOPosix Logging ServiceLifecycle SystemPackage Foundation" ;;
    martlet)               echo "Broker MartletAdmin BrokerCore Logging ServiceLifecycle ArgumentParser Foundation" ;;
    MessageGenerator)      echo "Foundation" ;;
    RequestDecoderFuzzer)  echo "KafkaProtocol BrokerCore NIOCore Foundation" ;;
    BrokerTestSupport)     echo "BrokerCore KafkaRecords LogStorage Coordination NIOCore Foundation SystemPackage" ;;
    *)                     echo "__unknown__" ;;
  esac
}

status=0
for dir in Sources/*/; do
  module=$(basename "$dir")
  allow="$(allowed "$module")"
  if [ "$allow" = "__unknown__" ]; then
    echo "check-imports: module $module has no entry in scripts/check-imports.sh (add its allowed imports)"
    status=1; continue
  fi
  while IFS= read -r hit; do
    file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; text=${rest#*:}
    imported=$(echo "$text" | sed -E 's/^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+((struct|class|enum|protocol|func|var|let|typealias)[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*).*/\4/')
    case " $allow $SYSTEM " in
      *" $imported "*) ;;
      *) echo "check-imports: $file:$line: $module must not import $imported"; status=1 ;;
    esac
  done < <(grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]' "$dir" --include='*.swift' || true)
done
# Nothing in Sources/ may import the test support module (it is for Tests/ only).
if grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+BrokerTestSupport' Sources --include='*.swift' | grep -v '^Sources/BrokerTestSupport/'; then
  echo "check-imports: Sources/ must not import BrokerTestSupport"; status=1
fi
[ $status -eq 0 ] && echo "check-imports: OK ($(ls -d Sources/*/ | wc -l) modules)"
exit $status
