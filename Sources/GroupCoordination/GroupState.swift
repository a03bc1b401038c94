/// The classic group's state (Kafka's `GroupState`), named as Kafka prints it in DescribeGroups
/// and ListGroups.
///
/// ```
/// Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader sync──▶ Stable
///   ▲                │   ▲                                          │                               │
///   └─ no members ◀──┘   └────────── join / leave / expiry ◀────────┴───────────────────────────────┘
/// any state ──unload / delete / expiry of an empty group──▶ Dead
/// ```
public enum GroupState: String, Sendable, Hashable, CaseIterable {
    case empty = "Empty"
    case preparingRebalance = "PreparingRebalance"
    case completingRebalance = "CompletingRebalance"
    case stable = "Stable"
    case dead = "Dead"

    /// Kafka's name, e.g. "PreparingRebalance".
    public var kafkaName: String { rawValue }

    /// States a group may come from when entering `self` (Kafka's `validPreviousStates`).
    var validPreviousStates: Set<GroupState> {
        switch self {
        case .preparingRebalance: [.stable, .completingRebalance, .empty]
        case .completingRebalance: [.preparingRebalance]
        case .stable: [.completingRebalance]
        case .empty: [.preparingRebalance]
        case .dead: Set(GroupState.allCases)
        }
    }
}
