import BrokerCore

/// The broker settings the controller uses.
public struct ControllerConfiguration: Hashable, Sendable {
    /// This broker's `broker.id`; the id written to `/controller` when elected.
    public var brokerID: BrokerID
    /// Broker-level `unclean.leader.election.enable` (Kafka's default: false). A topic's
    /// `unclean.leader.election.enable` in `/config/topics/T` overrides it.
    public var uncleanLeaderElectionEnable: Bool

    public init(brokerID: BrokerID, uncleanLeaderElectionEnable: Bool = false) {
        self.brokerID = brokerID
        self.uncleanLeaderElectionEnable = uncleanLeaderElectionEnable
    }
}

/// The controller's view of who controls the cluster.
public struct ControllerStatus: Hashable, Sendable {
    /// True while this broker is the active controller.
    public var isActive: Bool
    /// The active controller as last seen in `/controller` (this broker when active), nil if none.
    public var activeController: BrokerID?
    /// This controller's epoch while active.
    public var epoch: ControllerEpoch?

    public init(isActive: Bool, activeController: BrokerID?, epoch: ControllerEpoch?) {
        self.isActive = isActive
        self.activeController = activeController
        self.epoch = epoch
    }

    public static let unknown = ControllerStatus(isActive: false, activeController: nil, epoch: nil)
}
