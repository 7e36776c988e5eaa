/// The `?` screen: every key, grouped by where it works, and what the marks mean.
struct HelpScreen {
  private var top = 0

  /// The lines of help, each with its style.
  static func lines() -> [(String, TextStyle)] {
    let heading = TextStyle(isBold: true)
    var lines: [(String, TextStyle)] = [
      ("Marks: + added  ~ modified  - removed  (blank) unchanged", .plain),
      ("Layers: ● changes shown, ○ base of the aggregated view", .plain),
      ("Views: merged = the filesystem at the layer, with its own changes marked;", .plain),
      ("  aggregated = changes of every layer up to it, against the base layer;", .plain),
      ("  layer only = just what the layer changed.", .plain),
      ("Mouse: a click selects, folds the selected directory or opens the details;", .plain),
      ("  the wheel scrolls.", .plain),
      ("", .plain),
    ]
    let groups: [(String, KeyBinding.Scope)] = [
      ("Everywhere", .everywhere), ("Layer list", .layers), ("File tree", .tree),
    ]
    for (title, scope) in groups {
      lines.append((title, heading))
      for binding in KeyMap.bindings where binding.scope == scope {
        lines.append(("  " + TextWrap.padRight(binding.label, to: 10) + binding.summary, .plain))
      }
      lines.append(("", .plain))
    }
    lines.append(("Details (d)", heading))
    lines.append(("  j k ↑ ↓   Scroll; PgUp PgDn Space a page, g G the ends", .plain))
    lines.append(("  h l ← →   The layer below or above", .plain))
    lines.append(("  Esc d ⏎   Back to the panes", .plain))
    lines.append(("", .plain))
    lines.append(("Image list", heading))
    lines.append(("  type      Filter the images by name", .plain))
    lines.append(("  ⏎         Open the selected image", .plain))
    lines.append(("  Tab       Layers shared between images (data roots)", .plain))
    lines.append(("  Esc       Clear the filter, or quit when it is empty", .plain))
    lines.append(("  ^C        Quit", .plain))
    return lines
  }

  /// Scrolls by rows.
  mutating func scroll(by rows: Int) {
    top = max(0, min(Self.lines().count - 1, top + rows))
  }

  func draw(into buffer: inout ScreenBuffer, rect: Rect) {
    let body = PaneHeader.draw(
      "Keys", detail: "j k scroll · Esc close", focused: true, into: &buffer, rect: rect)
    let lines = Self.lines()
    for row in 0..<body.height where top + row < lines.count {
      let line = lines[top + row]
      buffer.write(
        line.0, x: body.x + 1, y: body.y + row, style: line.1,
        limit: body.x + body.width)
    }
  }
}
