/// The title line above a pane: heavy rule and bold when the pane has focus, so focus reads
/// without color, e.g. `━ Layers ━━━━` against `─ Layers ────`.
enum PaneHeader {
  /// Draws a title line across the first row of `rect` and returns the rest of the rect.
  static func draw(
    _ title: String, detail: String = "", focused: Bool, into buffer: inout ScreenBuffer,
    rect: Rect
  ) -> Rect {
    guard rect.height > 0 else { return rect }
    let rule = focused ? "━" : "─"
    let style = focused ? TextStyle(isBold: true) : TextStyle.plain
    var text = rule + " " + title + " "
    if !detail.isEmpty { text += rule + " " + detail + " " }
    let fitted = TextWrap.truncate(text, to: rect.width)
    let used = buffer.write(fitted, x: rect.x, y: rect.y, style: style, limit: rect.x + rect.width)
    let remaining = rect.x + rect.width - used
    if remaining > 0 {
      buffer.write(
        String(repeating: rule, count: remaining), x: used, y: rect.y, style: style,
        limit: rect.x + rect.width)
    }
    return rect.splitTop(1).rest
  }
}
