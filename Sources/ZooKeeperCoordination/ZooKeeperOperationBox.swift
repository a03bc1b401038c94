import CZooKeeper
import Coordination
import Synchronization

/// The context of one asynchronous C client request: the continuation of the awaiting Swift task
/// (and, for `multi`, the C buffers the library writes results into).
///
/// Ownership: `ZooKeeperInFlightRequests.register` records it (keeping it alive) and hands the
/// library an unretained pointer; whoever completes it first removes it from there:
/// - the completion function, when the library calls it (with the answer, or with
///   `ZCONNECTIONLOSS`/`ZSESSIONEXPIRED`/`ZCLOSING`);
/// - the submitter, when submission fails before the library registered the completion;
/// - `ZooKeeperInFlightRequests.abandonAll`, after `zookeeper_close` returned: the multi-threaded
///   library can drop completions it queued while closing (its completion thread may already
///   have stopped), and after close no callback can run any more.
/// Resuming is idempotent, so whichever path comes last finds nothing left to do.
final class ZooKeeperOperationBox: Sendable {
    private let continuation: Mutex<CheckedContinuation<ZooKeeperReply, Never>?>
    /// The registry of the handle the request was sent on.
    let requests: ZooKeeperInFlightRequests
    let multiRequest: ZooKeeperMultiRequest?

    init(
        _ continuation: CheckedContinuation<ZooKeeperReply, Never>, requests: ZooKeeperInFlightRequests,
        multiRequest: ZooKeeperMultiRequest?
    ) {
        self.continuation = Mutex(continuation)
        self.requests = requests
        self.multiRequest = multiRequest
    }

    func complete(_ reply: ZooKeeperReply) {
        continuation.withLock { $0.take() }?.resume(returning: reply)
    }
}

/// The requests of one handle that the library has not completed yet. Holding a request here is
/// what keeps its box alive while the library has its pointer (`Unmanaged.passUnretained`).
///
/// Thread-safety: a short lock; used by the owning actor (register), the C completion thread
/// (take) and the closing thread (abandon).
final class ZooKeeperInFlightRequests: Sendable {
    private let boxes = Mutex<[UInt: ZooKeeperOperationBox]>([:])

    /// Records `box` and returns the context pointer to pass to the library as `data`.
    func register(_ box: ZooKeeperOperationBox) -> UnsafeMutableRawPointer {
        let context = Unmanaged.passUnretained(box).toOpaque()
        boxes.withLock { $0[UInt(bitPattern: context)] = box }
        return context
    }

    /// Removes the request `context`, or returns nil if it was already removed (completed or
    /// abandoned).
    func take(_ context: UnsafeRawPointer) -> ZooKeeperOperationBox? {
        boxes.withLock { $0.removeValue(forKey: UInt(bitPattern: context)) }
    }

    /// Completes every request still outstanding with `code`. Only after `zookeeper_close`.
    func abandonAll(with code: Int32) {
        let remaining = boxes.withLock { boxes in
            defer { boxes = [:] }
            return Array(boxes.values)
        }
        for box in remaining { box.complete(ZooKeeperReply(code: code, payload: .none)) }
    }
}

/// How completion functions find their request: the `data` pointer is the box.
enum ZooKeeperCompletion {
    /// Takes the box of the completed request `context` back from its handle's registry.
    static func take(_ context: UnsafeRawPointer?) -> ZooKeeperOperationBox? {
        guard let context else { return nil }
        // A completion runs only for a registered request (registered before submission, removed
        // only by this completion, by a failed submission the library never saw, or after close),
        // so its registry keeps the box alive here.
        let box = Unmanaged<ZooKeeperOperationBox>.fromOpaque(context).takeUnretainedValue()
        return box.requests.take(context)
    }
}

// MARK: Completion functions (`*_completion_t`), run on the C client's completion thread (or on
// the closing thread). They copy the answer into Swift values and resume the awaiting task.

func zooKeeperVoidCompletion(_ code: Int32, _ context: UnsafeRawPointer?) {
    ZooKeeperCompletion.take(context)?.complete(ZooKeeperReply(code: code, payload: .none))
}

func zooKeeperStatCompletion(_ code: Int32, _ stat: UnsafePointer<Stat>?, _ context: UnsafeRawPointer?) {
    let payload: ZooKeeperReply.Payload = stat.map { .stat(NodeStat($0.pointee)) } ?? .none
    ZooKeeperCompletion.take(context)?.complete(ZooKeeperReply(code: code, payload: payload))
}

func zooKeeperDataCompletion(
    _ code: Int32, _ value: UnsafePointer<CChar>?, _ length: Int32, _ stat: UnsafePointer<Stat>?,
    _ context: UnsafeRawPointer?
) {
    var payload = ZooKeeperReply.Payload.none
    if let stat {
        var bytes: [UInt8] = []
        if let value, length > 0 {
            bytes = Array(UnsafeRawBufferPointer(start: value, count: Int(length)))
        }
        payload = .data(bytes, NodeStat(stat.pointee))
    }
    ZooKeeperCompletion.take(context)?.complete(ZooKeeperReply(code: code, payload: payload))
}

func zooKeeperStringsCompletion(
    _ code: Int32, _ strings: UnsafePointer<String_vector>?, _ context: UnsafeRawPointer?
) {
    var names: [String] = []
    if let strings, let data = strings.pointee.data {
        for index in 0..<Int(max(strings.pointee.count, 0)) {
            if let name = data[index] { names.append(String(cString: name)) }
        }
    }
    ZooKeeperCompletion.take(context)?.complete(ZooKeeperReply(code: code, payload: .children(names)))
}

func zooKeeperStringStatCompletion(
    _ code: Int32, _ path: UnsafePointer<CChar>?, _ stat: UnsafePointer<Stat>?, _ context: UnsafeRawPointer?
) {
    let payload: ZooKeeperReply.Payload =
        path.map { .created(path: String(cString: $0), stat: stat.map { NodeStat($0.pointee) }) } ?? .none
    ZooKeeperCompletion.take(context)?.complete(ZooKeeperReply(code: code, payload: payload))
}

func zooKeeperMultiCompletion(_ code: Int32, _ context: UnsafeRawPointer?) {
    guard let box = ZooKeeperCompletion.take(context) else { return }
    let replies = box.multiRequest?.replies() ?? []
    box.complete(ZooKeeperReply(code: code, payload: .multi(replies)))
}
