/// The bottom line: the keys that work in the focused pane, a one-time message, or the prompt
/// being typed.
enum Footer {
  /// Draws key hints such as `Tab pane  ? help  q quit`, cut to the width.
  static func drawHints(_ bindings: [KeyBinding], into buffer: inout ScreenBuffer, row: Int) {
    var text = ""
    for binding in bindings {
      guard let word = binding.footer else { continue }
      let label = binding.label.split(separator: " ").first.map(String.init) ?? binding.label
      text += (text.isEmpty ? "" : "  ") + label + " " + word
    }
    drawText(text, into: &buffer, row: row)
  }

  /// Draws plain footer text.
  static func drawText(
    _ text: String, style: TextStyle = .plain, into buffer: inout ScreenBuffer,
    row: Int
  ) {
    buffer.fill(x: 0, y: row, columns: buffer.width, style: style)
    buffer.write(TextWrap.truncate(text, to: buffer.width), x: 0, y: row, style: style)
  }

  /// Draws a prompt with its text and a block cursor.
  static func drawPrompt(
    _ label: String, text: String, note: String, into buffer: inout ScreenBuffer, row: Int
  ) {
    buffer.fill(x: 0, y: row, columns: buffer.width)
    var column = buffer.write(label, x: 0, y: row, style: TextStyle(isBold: true))
    // Keep the end of a long entry in view.
    let room = max(1, buffer.width - column - 1)
    var shown = text
    while DisplayWidth.of(shown) > room { shown.removeFirst() }
    column = buffer.write(shown, x: column, y: row)
    column = buffer.write(" ", x: column, y: row, style: TextStyle(isReversed: true))
    if !note.isEmpty && column + 2 < buffer.width {
      buffer.write("  " + note, x: column, y: row, style: TextStyle(isDim: true))
    }
  }
}
