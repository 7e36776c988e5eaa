/// A key the user pressed that is not a plain character.
public enum SpecialKey: String, Sendable, Equatable, CaseIterable {
  case up, down, left, right
  case pageUp, pageDown, home, end
  case enter, tab, backTab, escape, backspace, delete
}

/// A mouse action the terminal reported, at a screen cell.
public struct MouseEvent: Sendable, Equatable {
  /// What the mouse did.
  public enum Action: Sendable, Equatable {
    case press
    case wheelUp
    case wheelDown
  }

  public var action: Action
  public var x: Int
  public var y: Int

  public init(_ action: Action, x: Int, y: Int) {
    self.action = action
    self.x = x
    self.y = y
  }
}

/// One input event, as the terminal layer or a key replay delivers it.
public enum KeyEvent: Sendable, Equatable {
  /// A printable character, space included.
  case character(Character)
  /// A control key: `1` is Ctrl-A, `26` Ctrl-Z, `0` Ctrl-Space.
  case control(UInt8)
  case special(SpecialKey)
  case mouse(MouseEvent)
  /// The terminal now has this many columns and rows.
  case resize(width: Int, height: Int)

  /// Ctrl and a letter, e.g. `.ctrl("a")`.
  public static func ctrl(_ letter: Character) -> KeyEvent {
    let value = letter.lowercased().unicodeScalars.first?.value ?? 0
    guard (97...122).contains(value) else { return .control(0) }
    return .control(UInt8(value - 96))
  }
}
