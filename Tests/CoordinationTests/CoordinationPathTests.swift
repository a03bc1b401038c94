import Coordination
import Testing

@Suite struct CoordinationPathTests {
    @Test(arguments: ["/", "/a", "/a/b", "/brokers/ids/1", "/a.b", "/a/..b", "/config_change_"])
    func acceptsValidPaths(path: String) {
        #expect(CoordinationPath.isValid(path))
    }

    @Test(arguments: ["", "a", "/a/", "//", "/a//b", "/a/./b", "/a/..", "/.", "/a\u{0}b", "/a\u{1F}", "/\u{E000}"])
    func rejectsInvalidPaths(path: String) {
        #expect(!CoordinationPath.isValid(path))
        #expect(throws: CoordinationError.invalidPath(path)) { try CoordinationPath.validate(path) }
    }

    @Test func sequentialPrefixMayEndWithASlash() {
        #expect(CoordinationPath.isValid("/queue/", sequentialPrefix: true))
        #expect(!CoordinationPath.isValid("/queue/", sequentialPrefix: false))
    }

    @Test func navigatesTheTree() {
        #expect(CoordinationPath.parent(of: "/a/b/c") == "/a/b")
        #expect(CoordinationPath.parent(of: "/a") == "/")
        #expect(CoordinationPath.parent(of: "/") == nil)
        #expect(CoordinationPath.name(of: "/a/b") == "b")
        #expect(CoordinationPath.join("/", "a") == "/a")
        #expect(CoordinationPath.join("/a", "b") == "/a/b")
        #expect(CoordinationPath.ancestors(of: "/a/b/c") == ["/a", "/a/b"])
        #expect(CoordinationPath.ancestors(of: "/a").isEmpty)
    }

    @Test func sequenceSuffixIsTenDigits() {
        #expect(CoordinationPath.sequenceSuffix(0) == "0000000000")
        #expect(CoordinationPath.sequenceSuffix(42) == "0000000042")
        #expect(CoordinationPath.sequenceSuffix(Int32.max) == "2147483647")
    }
}
