/// Small helpers to write JSON text by hand, so large reports stream instead of being built
/// in memory.
enum JSONText {
  /// A JSON string literal for `text`.
  static func string(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        out +=
          "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
          + String(scalar.value, radix: 16)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// A JSON string literal for a byte path; invalid UTF-8 becomes U+FFFD (see ``isValidUTF8``).
  static func string(bytes: some Collection<UInt8>) -> String {
    string(String(decoding: bytes, as: UTF8.self))
  }

  /// Whether `bytes` decode as UTF-8 without replacement.
  static func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
    String(validating: bytes, as: UTF8.self) != nil
  }

  static func optional(_ text: String?) -> String { text.map(string) ?? "null" }

  /// A number with enough digits for ratios, and no exponent for ordinary values.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    let rounded = (value * 1_000_000).rounded() / 1_000_000
    return rounded == rounded.rounded() && abs(rounded) < 1e15
      ? String(Int64(rounded)) : String(rounded)
  }
}
