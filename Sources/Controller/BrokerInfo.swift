import BrokerCore
import Coordination

/// A live broker as the controller sees it: its registration and its broker epoch.
public struct BrokerInfo: Hashable, Sendable {
    public var id: BrokerID
    public var epoch: BrokerEpoch
    public var endpoints: [BrokerEndpoint]
    public var rack: String?

    public init(id: BrokerID, epoch: BrokerEpoch, endpoints: [BrokerEndpoint], rack: String? = nil) {
        self.id = id
        self.epoch = epoch
        self.endpoints = endpoints
        self.rack = rack
    }

    /// From a decoded `/brokers/ids/N` registration and the znode's `czxid`.
    public init(registration: BrokerRegistration, epoch: BrokerEpoch) {
        self.init(id: registration.brokerID, epoch: epoch, endpoints: registration.endpoints, rack: registration.rack)
    }
}
