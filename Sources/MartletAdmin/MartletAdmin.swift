// MartletAdmin module: see docs/architecture.md
