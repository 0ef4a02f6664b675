// FieldBlock appends used by the translators: lower-cased names, decimal values, reservation.
import Testing
import TracegateHTTP

@Suite("Translation: FieldBlock appends")
struct TranslationFieldBlockTests {
  @Test("appendLowercasingName folds only ASCII upper-case letters in the name")
  func lowercasing() {
    var block = FieldBlock()
    let name: [UInt8] = Array("X-MiXeD_09~[@Z".utf8) + [0xC3, 0x89]
    let value = Array("Value Stays".utf8)
    name.withUnsafeBytes { n in value.withUnsafeBytes { v in block.appendLowercasingName(n, value: v) } }
    block.append(name: ":status", value: "200")
    block.withField(0) { n, v in
      #expect(Array(n) == Array("x-mixed_09~[@z".utf8) + [0xC3, 0x89])
      #expect(Array(v) == value)
    }
    #expect(block.field(1) == (name: ":status", value: "200"))
    #expect(block.count == 2)
  }

  @Test("reserveCapacity keeps the contents; removeAll keeps the capacity")
  func reserve() {
    var block = makeBlock([("a", "1")])
    block.reserveCapacity(bytes: 4096, fields: 64)
    #expect(fields(of: block) == [Field("a", "1")])
    #expect(block.bytes.capacity >= 4096)
    #expect(block.entries.capacity >= 65)
    let capacity = block.bytes.capacity
    block.removeAll()
    #expect(block.count == 0)
    #expect(block.bytes.capacity == capacity)
  }
}
