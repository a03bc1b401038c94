import CZooKeeper
import Coordination

/// The C memory of one `zoo_amulti` call: the `zoo_op_t` array, the `zoo_op_result_t` array the
/// library fills when the answer arrives, and the strings, path buffers and stats the operations
/// point to. Freed on deinit, i.e. when the owning `ZooKeeperOperationBox` goes away after its
/// completion ran.
///
/// `@unchecked Sendable`: it is written only while being built (on the submitting thread), then by
/// the library before it calls the completion, and read by that completion; the library's request
/// queue orders these accesses.
final class ZooKeeperMultiRequest: @unchecked Sendable {
    let count: Int
    let operations: UnsafeMutablePointer<zoo_op_t>
    let results: UnsafeMutablePointer<zoo_op_result_t>
    private var allocations: [UnsafeMutableRawPointer] = []
    private var createdPathBuffers: [Int: UnsafeMutablePointer<CChar>] = [:]
    private var stats: [Int: UnsafeMutablePointer<Stat>] = [:]

    /// Longest created path returned (ZooKeeper paths are far shorter in practice).
    private static let pathBufferLength = 4096

    init(_ operations: [TransactionOperation], acl: UnsafePointer<ACL_vector>) {
        count = operations.count
        self.operations = UnsafeMutablePointer<zoo_op_t>.allocate(capacity: count)
        self.operations.initialize(repeating: zoo_op_t(), count: count)
        results = UnsafeMutablePointer<zoo_op_result_t>.allocate(capacity: count)
        results.initialize(repeating: zoo_op_result_t(), count: count)
        for (index, operation) in operations.enumerated() {
            let op = self.operations + index
            switch operation {
            case .create(let path, let data, let mode):
                let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Self.pathBufferLength)
                buffer.initialize(repeating: 0, count: Self.pathBufferLength)
                allocations.append(UnsafeMutableRawPointer(buffer))
                createdPathBuffers[index] = buffer
                let (bytes, length) = copy(data)
                zoo_create_op_init(
                    op, copy(path), bytes, length, acl, mode.zooKeeperFlags, buffer, Int32(Self.pathBufferLength))
            case .setData(let path, let data, let expectedVersion):
                let stat = UnsafeMutablePointer<Stat>.allocate(capacity: 1)
                stat.initialize(to: Stat())
                allocations.append(UnsafeMutableRawPointer(stat))
                stats[index] = stat
                let (bytes, length) = copy(data)
                zoo_set_op_init(op, copy(path), bytes, length, expectedVersion.zooKeeperValue, stat)
            case .delete(let path, let expectedVersion):
                zoo_delete_op_init(op, copy(path), expectedVersion.zooKeeperValue)
            case .check(let path, let expectedVersion):
                zoo_check_op_init(op, copy(path), expectedVersion.zooKeeperValue)
            }
        }
    }

    deinit {
        operations.deinitialize(count: count)
        operations.deallocate()
        results.deinitialize(count: count)
        results.deallocate()
        for allocation in allocations { allocation.deallocate() }
    }

    /// Per-operation outcomes (valid inside the completion).
    func replies() -> [ZooKeeperReply.MultiOperationReply] {
        (0..<count).map { index in
            let result = results[index]
            let ok = result.err == ZooKeeperResultCode.ok
            let createdPath = ok ? createdPathBuffers[index].map { String(cString: $0) } : nil
            let stat = ok ? stats[index].map { NodeStat($0.pointee) } : nil
            return ZooKeeperReply.MultiOperationReply(code: result.err, createdPath: createdPath, stat: stat)
        }
    }

    private func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(string.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    private func copy(_ data: [UInt8]) -> (UnsafeMutablePointer<CChar>, Int32) {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: max(data.count, 1))
        data.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(pointer).copyMemory(
                from: bytes.baseAddress ?? UnsafeRawPointer(pointer), byteCount: data.count)
        }
        allocations.append(UnsafeMutableRawPointer(pointer))
        return (pointer, Int32(clamping: data.count))
    }
}

extension CreateMode {
    /// The C client's create flags.
    var zooKeeperFlags: Int32 {
        switch self {
        case .persistent: ZOO_PERSISTENT
        case .ephemeral: ZOO_EPHEMERAL
        case .persistentSequential: ZOO_PERSISTENT_SEQUENTIAL
        case .ephemeralSequential: ZOO_EPHEMERAL_SEQUENTIAL
        }
    }
}
