import BrokerCore

/// What an elected controller holds to fence its writes: its epoch and the znode version of
/// `/controller_epoch` it wrote when elected.
///
/// Every controller write is a ZooKeeper `multi` led by a check that `/controller_epoch` still has
/// `epochZkVersion`; once another controller is elected the check fails and the write never lands
/// (`ControllerMovedError`).
public struct ControllerEpochFence: Hashable, Sendable {
    public var epoch: ControllerEpoch
    public var epochZkVersion: Int32

    public init(epoch: ControllerEpoch, epochZkVersion: Int32) {
        self.epoch = epoch
        self.epochZkVersion = epochZkVersion
    }
}
