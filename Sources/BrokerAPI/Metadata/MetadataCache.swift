import Synchronization

/// Holds the broker's current ``ClusterMetadataImage``.
///
/// Thread-safety: readers take a snapshot (a value copy) and never see a half-applied update;
/// the single writer (start-up, later the UpdateMetadata handler) replaces the whole image.
public final class MetadataCache: Sendable {
    private let image: Mutex<ClusterMetadataImage>

    public init(_ initial: ClusterMetadataImage) {
        image = Mutex(initial)
    }

    /// The current image.
    public var snapshot: ClusterMetadataImage { image.withLock { $0 } }

    /// Replaces the image.
    public func update(_ transform: (inout ClusterMetadataImage) -> Void) {
        image.withLock { transform(&$0) }
    }
}
