// IOBuffer: growth, compaction, indices, appends.
import Testing
import TracegateHTTP

@Suite("IOBuffer")
struct IOBufferTests {
  private func text(_ buffer: IOBuffer) -> String { String(decoding: buffer.readable, as: UTF8.self) }

  @Test("starts without storage; readable is empty")
  func empty() {
    var buffer = IOBuffer()
    #expect(buffer.base == nil)
    #expect(buffer.capacity == 0)
    #expect(buffer.readable.count == 0)
    #expect(buffer.writable.count == 0)
    #expect(buffer.isEmpty)
    buffer.release()
    #expect(buffer.base == nil)
  }

  @Test("grows to powers of two, keeping content")
  func growth() {
    var buffer = IOBuffer()
    defer { buffer.release() }
    buffer.append("hello")
    #expect(buffer.capacity == 64)
    buffer.append(Array(repeating: UInt8(0x61), count: 100))
    #expect(buffer.capacity == 128)
    #expect(buffer.readableBytes == 105)
    #expect(text(buffer).hasPrefix("helloaaa"))
    var odd = IOBuffer(capacity: 100)
    defer { odd.release() }
    #expect(odd.capacity == 100)
    odd.append(Array(repeating: UInt8(0x62), count: 101))
    #expect(odd.capacity == 256)
  }

  @Test("reserve compacts instead of growing when that suffices")
  func compactionOnReserve() {
    var buffer = IOBuffer(capacity: 16)
    defer { buffer.release() }
    buffer.append("0123456789abcdef")
    buffer.moveReaderIndex(by: 10)
    let base = buffer.base
    buffer.reserve(minimumWritable: 8)
    #expect(buffer.capacity == 16)
    #expect(buffer.base == base)
    #expect(buffer.readerIndex == 0)
    #expect(text(buffer) == "abcdef")
    buffer.reserve(minimumWritable: 11)  // 6 live + 11 > 16: grow (to the 64-byte minimum)
    #expect(buffer.capacity == 64)
    #expect(text(buffer) == "abcdef")
  }

  @Test("reader reaching writer resets both indices")
  func resetOnDrain() {
    var buffer = IOBuffer(capacity: 32)
    defer { buffer.release() }
    buffer.append("abc")
    buffer.moveReaderIndex(by: 1)
    #expect(buffer.readerIndex == 1)
    buffer.moveReaderIndex(by: 2)
    #expect(buffer.readerIndex == 0 && buffer.writerIndex == 0)
    #expect(buffer.isEmpty)
  }

  @Test("writable + moveWriterIndex, compact, clear")
  func writableRegion() {
    var buffer = IOBuffer(capacity: 8)
    defer { buffer.release() }
    let region = buffer.writable
    #expect(region.count == 8)
    region[0] = 0x78
    region[1] = 0x79
    buffer.moveWriterIndex(by: 2)
    #expect(text(buffer) == "xy")
    #expect(buffer.writableBytes == 6)
    buffer.moveReaderIndex(by: 1)
    buffer.compact()
    #expect(buffer.readerIndex == 0 && buffer.writerIndex == 1)
    #expect(text(buffer) == "y")
    buffer.moveWriterIndex(by: -1)
    #expect(buffer.isEmpty)
    buffer.append(byte: 0x7A)
    buffer.clear()
    #expect(buffer.readableBytes == 0)
    #expect(buffer.capacity == 8)
  }

  @Test(
    "decimal appends without String",
    arguments: [
      (0, "0"), (7, "7"), (10, "10"), (12345, "12345"), (-42, "-42"), (Int.max, "9223372036854775807"),
      (Int.min, "-9223372036854775808"),
    ])
  func decimals(value: Int, expected: String) {
    var buffer = IOBuffer()
    defer { buffer.release() }
    buffer.appendDecimal(value)
    #expect(text(buffer) == expected)
  }

  @Test("UInt64 decimals and mixed appends")
  func mixed() {
    var buffer = IOBuffer()
    defer { buffer.release() }
    buffer.appendDecimal(UInt64.max)
    buffer.append(byte: 0x20)
    Array("raw".utf8).withUnsafeBytes { buffer.append($0) }
    buffer.append(" ")
    buffer.append("lazy".utf8.lazy.map { $0 })
    #expect(text(buffer) == "18446744073709551615 raw lazy")
  }

  @Test("release frees and the buffer can be reused")
  func releaseAndReuse() {
    var buffer = IOBuffer(capacity: 16)
    buffer.append("x")
    buffer.release()
    #expect(buffer.base == nil && buffer.capacity == 0 && buffer.readableBytes == 0)
    buffer.append("again")
    #expect(text(buffer) == "again")
    buffer.release()
  }
}
