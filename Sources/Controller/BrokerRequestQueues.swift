import BrokerCore
import Logging

/// One serial request queue per live broker (Kafka's `ControllerChannelManager` with a
/// `RequestSendThread` per broker): requests to one broker are sent in order, one at a time, by a
/// task of their own; a failed send is logged and dropped.
///
/// A plain value owned by the controller actor; `stop`/`stopAll` cancel the senders and drop what
/// is still queued (Kafka drops queued requests on resignation and broker loss).
struct BrokerRequestQueues {
    private struct Sender {
        let broker: BrokerInfo
        let continuation: AsyncStream<ControllerRequest>.Continuation
        let task: Task<Void, Never>
    }

    private var senders: [BrokerID: Sender] = [:]

    /// Starts a queue for `broker` (replacing one for an older epoch of the same id).
    mutating func start(
        _ broker: BrokerInfo, controllerEpoch: ControllerEpoch, channel: any ControllerChannel, logger: Logger
    ) {
        if let existing = senders[broker.id] {
            if existing.broker == broker { return }
            stop(broker.id)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: ControllerRequest.self, bufferingPolicy: .unbounded)
        let task = Task {
            for await request in stream {
                if Task.isCancelled { break }
                do {
                    try await request.send(via: channel, to: broker, controllerEpoch: controllerEpoch)
                } catch {
                    logger.warning(
                        "controller request failed",
                        metadata: ["request": "\(request.name)", "broker": "\(broker.id)", "error": "\(error)"])
                }
            }
        }
        senders[broker.id] = Sender(broker: broker, continuation: continuation, task: task)
    }

    /// Queues `request` for `broker`; dropped if the broker has no queue (not live).
    func enqueue(_ request: ControllerRequest, to broker: BrokerID) {
        senders[broker]?.continuation.yield(request)
    }

    mutating func stop(_ broker: BrokerID) {
        guard let sender = senders.removeValue(forKey: broker) else { return }
        sender.continuation.finish()
        sender.task.cancel()
    }

    mutating func stopAll() {
        for id in senders.keys.sorted() { stop(id) }
    }
}
