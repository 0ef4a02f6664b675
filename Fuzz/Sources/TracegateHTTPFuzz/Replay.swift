// Replays files through the fuzz entry point in builds without libFuzzer.
import Glibc

enum Replay {
  /// Runs each file once (directories: each regular file inside). Returns the exit status.
  static func run(_ paths: [String]) -> Int32 {
    if paths.isEmpty {
      writeError("usage: TracegateHTTPFuzz FILE|DIR... (replay; build with -sanitize=fuzzer to fuzz)\n")
      return 2
    }
    var count = 0
    for path in paths {
      if let dir = opendir(path) {
        while let entry = readdir(dir) {
          let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
          }
          if name == "." || name == ".." { continue }
          if replayFile(path + "/" + name) { count += 1 }
        }
        closedir(dir)
      } else if replayFile(path) {
        count += 1
      }
    }
    print("replayed \(count) inputs without a violation")
    return 0
  }

  /// Reads one file and runs it; false when it cannot be read.
  static func replayFile(_ path: String) -> Bool {
    guard let file = fopen(path, "rb") else { return false }
    defer { fclose(file) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = fread(&chunk, 1, chunk.count, file)
      if n <= 0 { break }
      data.append(contentsOf: chunk[0..<n])
    }
    var empty: UInt8 = 0
    if data.isEmpty {
      _ = fuzz(&empty, 0)
    } else {
      _ = data.withUnsafeBufferPointer { fuzz($0.baseAddress!, $0.count) }
    }
    return true
  }
}
