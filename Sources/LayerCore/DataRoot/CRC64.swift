/// CRC-64 as tar-split computes it for file content: the ISO polynomial, reflected, with all
/// bits set at the start and inverted at the end ("CRC-64/GO-ISO"), serialized big-endian.
///
/// tar-split keeps this checksum for every file of a layer; comparing two of them tells whether
/// two files' content differs without reading either file.
struct CRC64 {
  /// The reflected ISO polynomial `x^64 + x^4 + x^3 + x + 1`.
  static let polynomial: UInt64 = 0xD800_0000_0000_0000

  /// Eight tables for slicing-by-8, one after another: entry `256 * k + b` is the CRC of byte
  /// `b` followed by `k` zero bytes.
  static let table: [UInt64] = {
    var table = [UInt64](repeating: 0, count: 8 * 256)
    for byte in 0..<256 {
      var crc = UInt64(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
      table[byte] = crc
    }
    for k in 1..<8 {
      for byte in 0..<256 {
        let previous = table[256 * (k - 1) + byte]
        table[256 * k + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
      }
    }
    return table
  }()

  private var state: UInt64 = ~0

  /// Adds bytes to the checksum.
  mutating func update(_ buffer: UnsafeRawBufferPointer) {
    var crc = state
    var index = 0
    let count = buffer.count
    Self.table.withUnsafeBufferPointer { t in
      while index + 8 <= count {
        crc ^= buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian
        var next: UInt64 = 0
        for k in 0..<8 {
          next ^= t[256 * (7 - k) + Int((crc >> (8 * UInt64(k))) & 0xFF)]
        }
        crc = next
        index += 8
      }
      while index < count {
        crc = t[Int((crc ^ UInt64(buffer[index])) & 0xFF)] ^ (crc >> 8)
        index += 1
      }
    }
    state = crc
  }

  /// The checksum as tar-split stores it: eight bytes, most significant first.
  var bigEndianBytes: [UInt8] {
    let value = ~state
    return (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
  }

  /// The checksum of `bytes`, as tar-split stores it.
  static func checksum(_ bytes: [UInt8]) -> [UInt8] {
    var crc = CRC64()
    bytes.withUnsafeBytes { crc.update($0) }
    return crc.bigEndianBytes
  }
}
