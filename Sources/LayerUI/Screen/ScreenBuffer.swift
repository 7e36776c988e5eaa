/// One cell of a ``ScreenBuffer``: a grapheme (base character and any combining marks) and its
/// style. The cell to the right of a wide character holds an empty string.
public struct Cell: Equatable, Sendable {
  public var text: String
  public var style: TextStyle

  public init(text: String, style: TextStyle) {
    self.text = text
    self.style = style
  }

  /// A blank cell.
  public static let blank = Cell(text: " ", style: .plain)

  /// Whether this cell is the right half of a wide character.
  public var isContinuation: Bool { text.isEmpty }
}

/// A grid of cells that panes render into; it knows nothing about curses.
///
/// Every write goes through ``DisplayText/safe(_:)``, so no control character or escape
/// sequence can reach the terminal, and through ``DisplayWidth`` so wide and combining
/// characters keep columns aligned. Writes are clipped to the buffer and to a column limit.
public struct ScreenBuffer: Equatable, Sendable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  /// The cell at a column and row.
  public subscript(x: Int, y: Int) -> Cell { cells[y * width + x] }

  /// The whole buffer as a rectangle.
  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  // MARK: - Writing

  /// Writes text from a cell, stopping before column `limit` (exclusive; the buffer's width
  /// when nil), and returns the column after the last cell written.
  ///
  /// A wide character that would cross the limit is replaced by spaces. A combining mark joins
  /// the cell written just before it, or is dropped at the start of a write. What would make a
  /// terminal draw several emoji as one glyph is left out (``DisplayWidth/joinsGlyphs``).
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, style: TextStyle = .plain, limit: Int? = nil
  ) -> Int {
    guard y >= 0 && y < height else { return x }
    let end = min(limit ?? width, width)
    var column = max(0, x)
    var lastWritten: Int? = nil
    let scalars = Array(DisplayText.safe(text).unicodeScalars)
    for (index, scalar) in scalars.enumerated() {
      let next = index + 1 < scalars.count ? scalars[index + 1] : nil
      if DisplayWidth.joinsGlyphs(scalar, before: next) { continue }
      let columns = DisplayWidth.of(scalar)
      if columns == 0 {
        if let last = lastWritten { cells[y * width + last].text.unicodeScalars.append(scalar) }
        continue
      }
      guard column + columns <= end else {
        while column < end {
          setCell(x: column, y: y, text: " ", style: style)
          column += 1
        }
        break
      }
      setCell(x: column, y: y, text: String(scalar), style: style)
      if columns == 2 { setCell(x: column + 1, y: y, text: "", style: style) }
      lastWritten = column
      column += columns
    }
    return column
  }

  /// Writes text padded with spaces (or cut) to exactly `columns` columns.
  public mutating func write(
    _ text: String, x: Int, y: Int, style: TextStyle = .plain, columns: Int
  ) {
    let end = min(x + columns, width)
    let next = write(text, x: x, y: y, style: style, limit: end)
    fill(x: next, y: y, columns: end - next, style: style)
  }

  /// Fills cells of one row with spaces in a style.
  public mutating func fill(x: Int, y: Int, columns: Int, style: TextStyle = .plain) {
    guard y >= 0 && y < height else { return }
    var column = max(0, x)
    while column < min(x + columns, width) {
      setCell(x: column, y: y, text: " ", style: style)
      column += 1
    }
  }

  /// Fills a rectangle with spaces in a style.
  public mutating func fill(_ rect: Rect, style: TextStyle = .plain) {
    for row in rect.y..<(rect.y + rect.height) {
      fill(x: rect.x, y: row, columns: rect.width, style: style)
    }
  }

  /// Changes the style of cells without touching their text.
  public mutating func restyle(x: Int, y: Int, columns: Int, _ change: (inout TextStyle) -> Void) {
    guard y >= 0 && y < height else { return }
    for column in max(0, x)..<max(max(0, x), min(x + columns, width)) {
      change(&cells[y * width + column].style)
    }
  }

  /// Sets one cell, repairing a wide character that the write cuts in half.
  private mutating func setCell(x: Int, y: Int, text: String, style: TextStyle) {
    let index = y * width + x
    if cells[index].isContinuation && !text.isEmpty && x > 0 {
      cells[index - 1].text = " "
    }
    if !text.isEmpty && x + 1 < width && cells[index + 1].isContinuation
      && DisplayWidth.of(cells[index].text) == 2
    {
      cells[index + 1].text = " "
    }
    cells[index] = Cell(text: text, style: style)
  }

  // MARK: - Reading back

  /// The text of one row, trailing spaces removed.
  public func text(row: Int) -> String {
    var line = ""
    for column in 0..<width { line += self[column, row].text }
    while line.last == " " { line.removeLast() }
    return line
  }

  /// Every row's text, one per line.
  public var text: String {
    (0..<height).map { text(row: $0) }.joined(separator: "\n")
  }

  /// The text followed by the runs of styled cells, row by row: what golden files hold.
  ///
  /// A run reads `row 3: 0-29 reverse, 31-40 green`; rows with only plain cells are left out.
  public var dump: String {
    var lines = [text, "--- styles ---"]
    for row in 0..<height {
      var runs: [String] = []
      var column = 0
      while column < width {
        let style = self[column, row].style
        var end = column
        while end + 1 < width && self[end + 1, row].style == style { end += 1 }
        if style != .plain { runs.append("\(column)-\(end) \(style.summary)") }
        column = end + 1
      }
      if !runs.isEmpty { lines.append("row \(row): " + runs.joined(separator: ", ")) }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
