import Testing

@testable import Broker

@Suite struct JavaPropertiesTests {
    private func parsed(_ text: String) -> [String: String] {
        Dictionary(JavaProperties.parse(text).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test func separatorsCommentsAndWhitespace() {
        let p = parsed(
            """
            # comment
            ! also a comment
            broker.id=1
              listeners = PLAINTEXT://:9092
            log.dirs:/tmp/a,/tmp/b
            num.partitions 3

            empty=
            """)
        #expect(p["broker.id"] == "1")
        #expect(p["listeners"] == "PLAINTEXT://:9092")
        #expect(p["log.dirs"] == "/tmp/a,/tmp/b")
        #expect(p["num.partitions"] == "3")
        #expect(p["empty"] == "")
        #expect(p.count == 5)
    }

    @Test func continuationsAndEscapes() {
        let p = parsed("log.dirs=/a,\\\n    /b\nkey\\ with\\ spaces=v\\u0041\\tz\nwin=1\r\nlast=2")
        #expect(p["log.dirs"] == "/a,/b")
        #expect(p["key with spaces"] == "vA\tz")
        #expect(p["win"] == "1")
        #expect(p["last"] == "2")
    }

    @Test func laterKeysOverrideEarlierOnes() {
        #expect(parsed("a=1\na=2")["a"] == "2")
    }
}
