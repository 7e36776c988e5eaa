/// Cutting and wrapping display text to a number of columns.
public enum TextWrap {
  /// The text cut to at most `columns` columns, ending in `…` when cut.
  public static func truncate(_ text: String, to columns: Int) -> String {
    guard columns > 0 else { return "" }
    if DisplayWidth.of(text) <= columns { return text }
    var out = String.UnicodeScalarView()
    var used = 0
    for scalar in text.unicodeScalars {
      let width = DisplayWidth.of(scalar)
      if used + width > columns - 1 { break }
      out.append(scalar)
      used += width
    }
    return String(out) + "…"
  }

  /// The text padded on the left with spaces to `columns` columns.
  public static func padLeft(_ text: String, to columns: Int) -> String {
    let width = DisplayWidth.of(text)
    return width >= columns ? text : String(repeating: " ", count: columns - width) + text
  }

  /// The text padded on the right with spaces to `columns` columns.
  public static func padRight(_ text: String, to columns: Int) -> String {
    let width = DisplayWidth.of(text)
    return width >= columns ? text : text + String(repeating: " ", count: columns - width)
  }

  /// Splits text into lines of at most `columns` columns, breaking at spaces where it can and
  /// inside words where it must. Line breaks in the text start new lines. Runs of spaces stay
  /// as they are within a line (a command's `sha256sum` line needs its two), and go at a
  /// break.
  public static func wrap(_ text: String, to columns: Int) -> [String] {
    guard columns > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var lineWidth = 0
      for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
        var piece = String(word)
        var pieceWidth = DisplayWidth.of(piece)
        if lineWidth > 0 && lineWidth + 1 + pieceWidth <= columns {
          line += " " + piece
          lineWidth += 1 + pieceWidth
          continue
        }
        if lineWidth > 0 {
          lines.append(line)
          line = ""
          lineWidth = 0
        }
        while pieceWidth > columns {
          let (head, tail) = split(piece, at: columns)
          lines.append(head)
          piece = tail
          pieceWidth = DisplayWidth.of(piece)
        }
        line = piece
        lineWidth = pieceWidth
      }
      lines.append(line)
    }
    return lines
  }

  /// Splits text after at most `columns` columns.
  private static func split(_ text: String, at columns: Int) -> (String, String) {
    var head = String.UnicodeScalarView()
    var used = 0
    var scalars = text.unicodeScalars[...]
    while let scalar = scalars.first {
      let width = DisplayWidth.of(scalar)
      if used + width > columns && used > 0 { break }
      head.append(scalar)
      used += width
      scalars = scalars.dropFirst()
    }
    return (String(head), String(String.UnicodeScalarView(scalars)))
  }
}
