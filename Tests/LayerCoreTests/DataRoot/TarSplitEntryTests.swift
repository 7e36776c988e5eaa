import Testing

@testable import LayerCore

/// The JSON lines of tar-split and the checksum it keeps.
struct TarSplitEntryTests {
  private func parse(_ line: String) throws -> TarSplitEntry {
    let bytes = Array(line.utf8)
    return try bytes.withUnsafeBufferPointer { try TarSplitEntry.parse($0) }
  }

  @Test func `a segment line decodes its payload`() throws {
    let entry = try parse(#"{"type":2,"payload":"ZXRjLwAA","position":0}"#)
    #expect(entry.type == TarSplitEntry.segmentType)
    #expect(entry.payload == Array("etc/".utf8) + [0, 0])
    #expect(entry.position == 0)
  }

  @Test func `a file line resolves escapes in its name`() throws {
    let entry = try parse(
      #"{"type":1,"name":"a\u003cb\u0026\"c\\d\ud83d\ude00","size":1234,"#
        + #""payload":"uQlWx3WkEAE=","position":3}"#)
    #expect(entry.name == Array("a<b&\"c\\d😀".utf8))
    #expect(entry.size == 1234)
    #expect(entry.payload == [0xB9, 0x09, 0x56, 0xC7, 0x75, 0xA4, 0x10, 0x01])
  }

  @Test func `a raw name and a null payload`() throws {
    let entry = try parse(#"{"type":1,"name_raw":"/w==","payload":null,"position":9}"#)
    #expect(entry.name == [0xFF])
    #expect(entry.payload.isEmpty)
    #expect(entry.size == 0)
  }

  @Test(arguments: [
    #"{"type":1"#, #"{"type":x}"#, #"{"payload":"abc"}"#, #"{"name":"open}"#, #"[1]"#,
  ])
  func `malformed lines are refused`(line: String) {
    #expect(throws: TarSplitEntry.Failure.self) { try parse(line) }
  }

  @Test func `CRC-64 is the Go ISO variant`() {
    #expect(
      CRC64.checksum(Array("123456789".utf8))
        == [0xB9, 0x09, 0x56, 0xC7, 0x75, 0xA4, 0x10, 0x01])
    #expect(CRC64.checksum([]) == [0, 0, 0, 0, 0, 0, 0, 0])
    let long = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    var split = CRC64()
    long.withUnsafeBytes { bytes in
      split.update(UnsafeRawBufferPointer(rebasing: bytes[..<4097]))
      split.update(UnsafeRawBufferPointer(rebasing: bytes[4097...]))
    }
    #expect(split.bigEndianBytes == CRC64.checksum(long))
  }
}
