import BrokerCore
import BrokerTestSupport
import KafkaRecords
import Testing

@testable import LogStorage

/// Random sequences of appends, rolls, retention, truncation, clean and unclean reopens, checked
/// after every step against a simple in-memory model. Seeded: a failure names its seed and step.
@Suite struct RandomOperationTests {
    /// The model: batches (base offset, values) from the log start.
    struct Model {
        var batches: [(base: Int64, values: [[UInt8]])] = []
        var logStart: Int64 = 0
        var logEnd: Int64 = 0

        var records: [(Offset, [UInt8])] {
            batches.flatMap { batch in batch.values.enumerated().map { (Offset(batch.base + Int64($0.offset)), $0.element) } }
                .filter { $0.0.rawValue >= logStart }
        }

        mutating func append(_ values: [[UInt8]]) {
            batches.append((logEnd, values))
            logEnd += Int64(values.count)
        }

        /// Drops every batch that ends at or after `target` (a straddling batch goes whole).
        mutating func truncate(to target: Int64) {
            guard target < logEnd else { return }
            guard let index = batches.firstIndex(where: { $0.base + Int64($0.values.count) - 1 >= target }) else { return }
            logEnd = batches[index].base
            batches.removeSubrange(index...)
        }

        mutating func startAt(_ offset: Int64) {
            logStart = max(logStart, offset)
            batches.removeAll { $0.base + Int64($0.values.count) <= logStart }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomOperationsMatchTheModel(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var fixture = LogFixture()
        fixture.config.retentionBytes = -1
        var log = try fixture.open()
        var model = Model()
        for step in 0..<250 {
            let choice = Int(random.next() % 100)
            let context = "seed \(seed) step \(step) op \(choice)"
            switch choice {
            case 0..<55:
                let count = Int(random.next() % 5) + 1
                let values = (0..<count).map { _ in [UInt8](repeating: UInt8(truncatingIfNeeded: random.next()), count: Int(random.next() % 120)) }
                var builder = RecordBatchBuilder()
                for value in values { builder.append(key: nil as [UInt8]?, value: value, timestamp: fixture.clock.nowMilliseconds) }
                let info = try log.append(records: builder.build(), leaderEpoch: LeaderEpoch(Int32(step / 40)))
                #expect(info.firstOffset == Offset(model.logEnd), "\(context)")
                model.append(values)
            case 55..<65:
                log.updateHighWatermark(log.logEndOffset)
                var config = fixture.config
                config.retentionBytes = Int64(random.next() % 6000)
                log.updateConfig(config)
                let before = log.logStartOffset
                try log.applyRetention()
                log.updateConfig(fixture.config)
                #expect(log.logStartOffset >= before, "\(context)")
                model.startAt(log.logStartOffset.rawValue)
            case 65..<75:
                let span = UInt64(max(model.logEnd - model.logStart, 0) + 1)
                let target = model.logStart + Int64(random.next() % span)
                try log.truncate(to: Offset(target))
                model.truncate(to: target)
            case 75..<82:
                try log.close()
                log = try fixture.open(clean: true, recoveryPoint: log.recoveryPoint, logStartOffset: log.logStartOffset)
            case 82..<90:
                let recoveryPoint = log.recoveryPoint
                let start = log.logStartOffset
                fixture.fileSystem.crash()
                log = try fixture.open(clean: false, recoveryPoint: recoveryPoint, logStartOffset: start)
                #expect(!log.recoveryReport.droppedData, "\(context)")
            case 90..<95:
                let recoveryPoint = log.recoveryPoint
                let start = log.logStartOffset
                fixture.fileSystem.crash(losingUnsyncedData: true)
                log = try fixture.open(clean: false, recoveryPoint: recoveryPoint, logStartOffset: start)
                #expect(log.logEndOffset >= recoveryPoint, "\(context)")
                model.truncate(to: log.logEndOffset.rawValue)
            case 95..<97:
                let offset = model.logEnd + Int64(random.next() % 10)
                try log.truncateFullyAndStart(at: Offset(offset))
                model = Model(batches: [], logStart: offset, logEnd: offset)
            default:
                try log.flush()
                #expect(log.recoveryPoint == log.logEndOffset, "\(context)")
            }
            #expect(log.logEndOffset == Offset(model.logEnd), "\(context)")
            #expect(log.logStartOffset == Offset(model.logStart), "\(context)")
            let actual = try log.allRecords()
            let expected = model.records
            #expect(actual.map(\.0) == expected.map(\.0), "\(context)")
            #expect(actual.map(\.1) == expected.map(\.1), "\(context)")
            if actual.map(\.0) != expected.map(\.0) { return }
        }
    }
}
