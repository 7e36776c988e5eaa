/// Parses key replays, the `--keys` text of tests and bug reports.
///
/// Plain characters are typed one by one; white space between them is ignored. Named keys sit
/// in angle brackets: `<Enter>`, `<Tab>`, `<Esc>`, `<Up>`, `<PgDn>`, `<Home>`, `<BS>`,
/// `<Space>`, `<lt>` for `<`, `<C-a>` for Ctrl-A, `<C-Space>`, `<Resize 60x20>`,
/// `<Click 10,5>`, `<WheelUp 10,5>`, `<WheelDown 10,5>`. So `j j <Tab> /etc<Enter> q` moves
/// down twice, switches panes, searches for `etc` and quits. Lines starting with `#` are
/// comments.
public enum KeyScript {
  /// A key replay that could not be read.
  public struct ParseError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
      self.message = message
    }
  }

  private static let names: [String: KeyEvent] = [
    "enter": .special(.enter), "return": .special(.enter), "cr": .special(.enter),
    "tab": .special(.tab), "s-tab": .special(.backTab), "backtab": .special(.backTab),
    "esc": .special(.escape), "escape": .special(.escape),
    "up": .special(.up), "down": .special(.down), "left": .special(.left),
    "right": .special(.right), "pgup": .special(.pageUp), "pageup": .special(.pageUp),
    "pgdn": .special(.pageDown), "pagedown": .special(.pageDown), "home": .special(.home),
    "end": .special(.end), "bs": .special(.backspace), "backspace": .special(.backspace),
    "del": .special(.delete), "delete": .special(.delete), "space": .character(" "),
    "lt": .character("<"), "gt": .character(">"), "c-space": .control(0),
  ]

  /// The events of a replay text.
  ///
  /// - Throws: ``ParseError`` naming the first key it does not know.
  public static func parse(_ text: String) throws(ParseError) -> [KeyEvent] {
    var events: [KeyEvent] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.drop(while: { $0 == " " }).hasPrefix("#") { continue }
      var rest = line[...]
      while let character = rest.first {
        rest = rest.dropFirst()
        if character == " " || character == "\t" || character == "\r" { continue }
        guard character == "<", let close = rest.firstIndex(of: ">") else {
          events.append(.character(character))
          continue
        }
        let name = String(rest[..<close])
        rest = rest[rest.index(after: close)...]
        events.append(try event(named: name))
      }
    }
    return events
  }

  private static func event(named name: String) throws(ParseError) -> KeyEvent {
    let lower = name.lowercased()
    if let event = names[lower] { return event }
    if lower.hasPrefix("c-") || lower.hasPrefix("ctrl-") || lower.hasPrefix("ctrl+") {
      let letter = lower.split(separator: lower.contains("+") ? "+" : "-").last ?? ""
      if letter.count == 1, let character = letter.first, character.isLetter,
        character.isASCII
      {
        return .ctrl(character)
      }
    }
    let parts = lower.split(separator: " ")
    if parts.count == 2 {
      let numbers = parts[1].split(whereSeparator: { $0 == "x" || $0 == "," }).compactMap {
        Int($0)
      }
      if numbers.count == 2 {
        switch parts[0] {
        case "resize": return .resize(width: numbers[0], height: numbers[1])
        case "click": return .mouse(MouseEvent(.press, x: numbers[0], y: numbers[1]))
        case "wheelup": return .mouse(MouseEvent(.wheelUp, x: numbers[0], y: numbers[1]))
        case "wheeldown": return .mouse(MouseEvent(.wheelDown, x: numbers[0], y: numbers[1]))
        default: break
        }
      }
    }
    throw ParseError(message: "unknown key '<\(name)>' in the key replay")
  }
}
