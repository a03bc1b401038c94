import BrokerCore
import KafkaProtocol
import NIOCore

extension GroupCoordinator {
    /// Applies one queued leadership command (in call order).
    func handle(_ command: Command) async {
        switch command {
        case .barrier(let continuation):
            continuation.resume()
        case .election(let partition, let leaderEpoch):
            elect(partition, leaderEpoch: leaderEpoch)
        case .resignation(let partition, let leaderEpoch):
            resign(partition, leaderEpoch: leaderEpoch)
        }
    }

    /// Records `leaderEpoch` for `partition` unless an newer one is known (Kafka's
    /// `maybeUpdateCoordinatorEpoch`); false if the command is stale. nil = unconditional.
    private func acceptEpoch(_ leaderEpoch: LeaderEpoch?, for partition: Int32) -> Bool {
        guard let leaderEpoch else { return true }
        if let current = partitionEpochs[partition], current > leaderEpoch { return false }
        partitionEpochs[partition] = leaderEpoch
        return true
    }

    private func elect(_ partition: Int32, leaderEpoch: LeaderEpoch) {
        guard isActive, acceptEpoch(leaderEpoch, for: partition) else {
            logger.info("ignoring stale group coordinator election", metadata: ["partition": "\(partition)"])
            return
        }
        guard partitionStates[partition] == nil else { return }  // already loading or loaded
        nextLoadToken += 1
        let token = nextLoadToken
        partitionStates[partition] = .loading(token: token)
        logger.info("loading groups of __consumer_offsets", metadata: ["partition": "\(partition)", "epoch": "\(leaderEpoch)"])
        loadTasks[partition] = Task { await self.load(partition, token: token) }
    }

    private func resign(_ partition: Int32, leaderEpoch: LeaderEpoch?) {
        guard acceptEpoch(leaderEpoch, for: partition) else {
            logger.info("ignoring stale group coordinator resignation", metadata: ["partition": "\(partition)"])
            return
        }
        partitionStates[partition] = nil
        loadTasks[partition] = nil
        let now = currentTime()
        for groupID in groups.keys.sorted() where self.partition(for: groupID) == partition {
            let actions = groups[groupID]?.unload(answering: .notCoordinator, now: now) ?? []
            groups[groupID] = nil
            deliver(actions, groupID: groupID)
        }
        answerOrphanedWaiters()
        logger.info("unloaded groups of __consumer_offsets", metadata: ["partition": "\(partition)"])
    }

    private func isCurrentLoad(_ partition: Int32, token: UInt64) -> Bool {
        partitionStates[partition] == .loading(token: token)
    }

    /// Reads the partition from its log start to the high watermark and installs its groups
    /// (Kafka's `loadGroupsAndOffsets`). Abandoned if the partition is resigned meanwhile or the
    /// store answers an error (e.g. NOT_LEADER_OR_FOLLOWER).
    func load(_ partition: Int32, token: UInt64) async {
        var snapshot = GroupLogSnapshot()
        var next = Offset.zero
        var movedToLogStart = false
        while true {
            let result = await store.read(partition: partition, from: next, maxBytes: Self.loadBufferSize)
            guard isCurrentLoad(partition, token: token) else { return }
            if !movedToLogStart && next < result.logStartOffset
                && (result.errorCode == .offsetOutOfRange || result.records.readableBytes == 0)
            {
                movedToLogStart = true
                next = result.logStartOffset
                continue
            }
            guard result.errorCode == .none else {
                logger.error(
                    "loading __consumer_offsets failed; not serving its groups",
                    metadata: ["partition": "\(partition)", "error": "\(result.errorCode)"])
                partitionStates[partition] = nil
                loadTasks[partition] = nil
                return
            }
            movedToLogStart = true
            guard next < result.highWatermark else { break }
            let after = snapshot.apply(result.records, from: next, logger: logger)
            guard after > next else { break }  // no progress: nothing more below the high watermark
            next = after
        }
        install(snapshot, partition: partition)
        partitionStates[partition] = .owned
        loadTasks[partition] = nil
        logger.info("loaded groups of __consumer_offsets", metadata: ["partition": "\(partition)"])
        for groupID in groups.keys.sorted() where self.partition(for: groupID) == partition {
            let actions = groups[groupID]?.rebalanceIfOverCapacity(now: currentTime()) ?? []
            if !actions.isEmpty { await execute(actions, groupID: groupID) }
        }
    }

    private func install(_ snapshot: GroupLogSnapshot, partition: Int32) {
        let now = currentTime()
        for (groupID, record) in snapshot.groups where groups[groupID] == nil {
            var group = Group.loaded(
                groupID: groupID, value: record.value, valueVersion: record.version,
                offsets: snapshot.offsets[groupID] ?? [:], initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
                maxSize: config.groupMaxSize, now: now)
            nextIncarnation += 1
            group.incarnation = nextIncarnation
            groups[groupID] = group
        }
        for (groupID, offsets) in snapshot.offsets where snapshot.groups[groupID] == nil && groups[groupID] == nil && !offsets.isEmpty {
            var group = Group.offsetsOnly(
                groupID: groupID, offsets: offsets, initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
                maxSize: config.groupMaxSize, now: now)
            nextIncarnation += 1
            group.incarnation = nextIncarnation
            groups[groupID] = group
        }
    }
}
