/// Byte counts as short text, in SI units as dive shows them: `999 B`, `1.2 kB`, `12.3 MB`,
/// `123 GB`. At most 7 columns.
public enum ByteCountText {
  private static let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]

  /// The text of a byte count; negative counts get a minus sign.
  public static func format(_ bytes: Int64) -> String {
    if bytes < 0 { return "-" + format(bytes == .min ? .max : -bytes) }
    if bytes < 1000 { return "\(bytes) B" }
    // Tenths of the unit, rounded half up, with integer math so no locale is involved.
    var unit = 0
    var value = bytes
    while value >= 999_950 && unit < units.count - 2 {
      value /= 1000
      unit += 1
    }
    unit += 1
    let tenths = (value + 50) / 100
    if tenths >= 1000 { return "\(tenths / 10) \(units[unit])" }
    return "\(tenths / 10).\(tenths % 10) \(units[unit])"
  }
}
