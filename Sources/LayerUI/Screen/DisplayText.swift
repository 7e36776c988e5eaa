/// Turns names, commands and labels from an image into text that is safe to put on a terminal.
///
/// Nothing from an image reaches the terminal raw: control characters (C0, DEL, C1) become
/// `\x1b`-style escapes, invisible format characters such as bidi overrides become `\u{202e}`,
/// and bytes that are not UTF-8 become `\xff`.
public enum DisplayText {
  /// Decodes name bytes for display; a literal backslash shows as `\\` so escapes stay
  /// unambiguous.
  public static func decode(_ bytes: some Collection<UInt8>) -> String {
    var out = String.UnicodeScalarView()
    var index = bytes.startIndex
    while index != bytes.endIndex {
      let lead = bytes[index]
      if lead < 0x80 {
        if lead == UInt8(ascii: "\\") {
          out.append(contentsOf: "\\\\".unicodeScalars)
        } else {
          appendSafe(Unicode.Scalar(lead), to: &out)
        }
        index = bytes.index(after: index)
        continue
      }
      if let (scalar, next) = decodeMultibyte(bytes, at: index) {
        appendSafe(scalar, to: &out)
        index = next
      } else {
        appendHex(UInt32(lead), to: &out)
        index = bytes.index(after: index)
      }
    }
    return String(out)
  }

  /// Escapes the unsafe characters of a string that is already text (commands, labels).
  public static func safe(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars { appendSafe(scalar, to: &out) }
    return String(out)
  }

  /// Whether a scalar must not be sent to a terminal as is.
  static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x20 || (0x7F...0x9F).contains(value) { return true }
    if value < 0xA0 { return false }
    // Joiners shape emoji and scripts; every other format character is invisible and some
    // (bidi overrides) reorder what follows, so they are shown escaped.
    if value == 0x200C || value == 0x200D { return false }
    return scalar.properties.generalCategory == .format
      || (0x2028...0x2029).contains(value)
  }

  private static func appendSafe(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
    guard isUnsafe(scalar) else {
      out.append(scalar)
      return
    }
    appendHex(scalar.value, to: &out)
  }

  private static func appendHex(_ value: UInt32, to out: inout String.UnicodeScalarView) {
    let digits = String(value, radix: 16)
    let text =
      value <= 0xFF
      ? "\\x" + String(repeating: "0", count: 2 - digits.count) + digits
      : "\\u{" + digits + "}"
    out.append(contentsOf: text.unicodeScalars)
  }

  /// Decodes one multibyte UTF-8 sequence, rejecting overlong forms, surrogates and values
  /// past U+10FFFF.
  private static func decodeMultibyte<C: Collection<UInt8>>(
    _ bytes: C, at start: C.Index
  ) -> (Unicode.Scalar, C.Index)? {
    let lead = bytes[start]
    let length: Int
    var value: UInt32
    switch lead {
    case 0xC2...0xDF:
      length = 2
      value = UInt32(lead & 0x1F)
    case 0xE0...0xEF:
      length = 3
      value = UInt32(lead & 0x0F)
    case 0xF0...0xF4:
      length = 4
      value = UInt32(lead & 0x07)
    default:
      return nil
    }
    var index = bytes.index(after: start)
    for _ in 1..<length {
      guard index != bytes.endIndex else { return nil }
      let byte = bytes[index]
      guard byte & 0xC0 == 0x80 else { return nil }
      value = value << 6 | UInt32(byte & 0x3F)
      index = bytes.index(after: index)
    }
    let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
    guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
    return (scalar, index)
  }
}
