/// The compression codec in bits 0-2 of a record batch's attributes.
///
/// Storage never decompresses: compressed batches are stored and served byte for byte.
public enum CompressionCodec: UInt8, Sendable, Hashable, CaseIterable {
    case none = 0
    case gzip = 1
    case snappy = 2
    case lz4 = 3
    case zstd = 4
}

/// Bit 3 of a record batch's attributes: where the batch's timestamps come from.
public enum TimestampType: Sendable, Hashable {
    /// Producer-assigned timestamps (Kafka `CreateTime`).
    case createTime
    /// Broker-assigned: the batch's `maxTimestamp` is the append time (Kafka `LogAppendTime`).
    case logAppendTime
}

/// The 16-bit attributes field of a record batch (v2).
///
/// Layout: bits 0-2 compression, bit 3 timestamp type, bit 4 transactional, bit 5 control,
/// bit 6 delete-horizon present; other bits unused and preserved.
public struct RecordBatchAttributes: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public init(
        compression: CompressionCodec = .none, timestampType: TimestampType = .createTime,
        isTransactional: Bool = false, isControl: Bool = false
    ) {
        var raw = Int16(compression.rawValue)
        if timestampType == .logAppendTime { raw |= Self.timestampTypeBit }
        if isTransactional { raw |= Self.transactionalBit }
        if isControl { raw |= Self.controlBit }
        self.rawValue = raw
    }

    static let compressionMask: Int16 = 0x07
    static let timestampTypeBit: Int16 = 0x08
    static let transactionalBit: Int16 = 0x10
    static let controlBit: Int16 = 0x20
    static let deleteHorizonBit: Int16 = 0x40

    /// The codec, or nil for the unassigned values 5-7 (an invalid batch).
    public var compression: CompressionCodec? { CompressionCodec(rawValue: UInt8(rawValue & Self.compressionMask)) }

    public var timestampType: TimestampType {
        get { (rawValue & Self.timestampTypeBit) != 0 ? .logAppendTime : .createTime }
        set {
            if newValue == .logAppendTime { rawValue |= Self.timestampTypeBit } else { rawValue &= ~Self.timestampTypeBit }
        }
    }

    public var isTransactional: Bool { (rawValue & Self.transactionalBit) != 0 }
    public var isControl: Bool { (rawValue & Self.controlBit) != 0 }
    public var hasDeleteHorizon: Bool { (rawValue & Self.deleteHorizonBit) != 0 }
}
