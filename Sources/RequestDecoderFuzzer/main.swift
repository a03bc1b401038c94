import Foundation

/// RequestDecoderFuzzer: request header + body decoding under libFuzzer.
///
/// Built with `--sanitize=fuzzer` (see scripts/fuzz.sh), SwiftPM compiles this file as a library
/// and libFuzzer's own `main` drives `LLVMFuzzerTestOneInput`. In a normal build this file is the
/// program's top-level code: `replayed` below runs at start-up and replays the files (or the
/// files in the directories) given as arguments, e.g. a crash input or the golden frames:
///
///     RequestDecoderFuzzer Tests/KafkaProtocolTests/Golden crash-1234

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzRequestFrame(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Replays every file named by `paths` (directories: their files); returns the number replayed.
func replay(_ paths: [String]) -> Int {
    var files: [String] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            print("no such file: \(path)")
            continue
        }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files += names.sorted().map { "\(path)/\($0)" }
        } else {
            files.append(path)
        }
    }
    for file in files {
        guard let data = FileManager.default.contents(atPath: file) else { continue }
        data.withUnsafeBytes { fuzzRequestFrame($0) }
    }
    print("replayed \(files.count) inputs without a crash")
    return files.count
}

let replayed = replay(Array(CommandLine.arguments.dropFirst()))
