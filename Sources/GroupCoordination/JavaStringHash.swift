/// Java's `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, in
/// wrapping 32-bit arithmetic.
func javaStringHashCode(_ string: String) -> Int32 {
    var hash: Int32 = 0
    for unit in string.utf16 { hash = hash &* 31 &+ Int32(unit) }
    return hash
}

/// The `__consumer_offsets` partition of `groupID` (Kafka's `partitionFor`):
/// `Utils.abs(hashCode) % partitionCount`, where `Utils.abs(Int.MinValue) == 0`.
public func offsetsPartition(for groupID: String, partitionCount: Int32) -> Int32 {
    guard partitionCount > 0 else { return 0 }
    let hash = javaStringHashCode(groupID)
    let absolute = hash == Int32.min ? 0 : abs(hash)
    return absolute % partitionCount
}
