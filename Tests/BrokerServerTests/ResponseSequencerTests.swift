import BrokerAPI
import NIOCore
import Testing

@testable import BrokerServer

@Suite struct ResponseSequencerTests {
    private func response(_ tag: UInt8) -> ResponseSequencer.Completion {
        .response(EncodedResponse(segments: [.bytes(ByteBuffer(bytes: [tag]))]))
    }

    private func tags(_ items: [ResponseSequencer.Completion]) -> [String] {
        items.map {
            switch $0 {
            case .response(let r):
                if case .bytes(let b) = r.segments[0] { return "r\(b.readableBytesView.first!)" }
                return "file"
            case .noResponse: return "none"
            case .close: return "close"
            }
        }
    }

    @Test func inOrderCompletionsAreReleasedImmediately() {
        var s = ResponseSequencer()
        let a = s.begin(), b = s.begin()
        #expect(tags(s.complete(a, with: response(1)).released) == ["r1"])
        #expect(tags(s.complete(b, with: response(2)).released) == ["r2"])
        #expect(s.outstanding == 0)
    }

    @Test func laterRequestWaitsForEarlierOne() {
        var s = ResponseSequencer()
        let a = s.begin(), b = s.begin(), c = s.begin()
        #expect(tags(s.complete(c, with: response(3)).released) == [])
        #expect(tags(s.complete(b, with: .noResponse).released) == [])
        #expect(s.outstanding == 3)
        #expect(tags(s.complete(a, with: response(1)).released) == ["r1", "none", "r3"])
        #expect(s.outstanding == 0)
    }

    @Test func closeStopsEverythingAfterIt() {
        var s = ResponseSequencer()
        let a = s.begin(), b = s.begin(), c = s.begin()
        let d = s.begin()
        #expect(tags(s.complete(c, with: response(3)).released) == [])
        #expect(tags(s.complete(b, with: .close(reason: "bad")).released) == [])
        let result = s.complete(a, with: response(1))
        #expect(tags(result.released) == ["r1", "close"])
        #expect(tags(result.dropped) == ["r3"])
        let late = s.complete(d, with: response(4))
        #expect(tags(late.released) == [] && tags(late.dropped) == ["r4"])
    }

    @Test func unknownOrRepeatedSequenceIsIgnored() {
        var s = ResponseSequencer()
        let a = s.begin()
        #expect(tags(s.complete(a + 5, with: response(9)).released) == [])
        #expect(tags(s.complete(a, with: response(1)).released) == ["r1"])
        #expect(tags(s.complete(a, with: response(1)).released) == [])
    }
}
