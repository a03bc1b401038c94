// ReplicaFetcher module: see docs/architecture.md
