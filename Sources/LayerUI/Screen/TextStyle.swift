/// A foreground color a cell can take; `normal` is the terminal's own.
public enum TextColor: UInt8, Sendable, CaseIterable {
  case normal
  case green
  case red
  case yellow
  case cyan
  case blue
  case magenta
}

/// How one cell is drawn: a color and a few attributes that read without color too.
public struct TextStyle: Equatable, Sendable, Hashable {
  public var color: TextColor
  public var isBold: Bool
  public var isReversed: Bool
  public var isDim: Bool
  public var isUnderlined: Bool

  public init(
    color: TextColor = .normal, isBold: Bool = false, isReversed: Bool = false,
    isDim: Bool = false, isUnderlined: Bool = false
  ) {
    self.color = color
    self.isBold = isBold
    self.isReversed = isReversed
    self.isDim = isDim
    self.isUnderlined = isUnderlined
  }

  /// The terminal's default look.
  public static let plain = TextStyle()

  /// This style with reverse video switched on.
  public var reversed: TextStyle {
    var copy = self
    copy.isReversed = true
    return copy
  }

  /// This style in bold.
  public var bold: TextStyle {
    var copy = self
    copy.isBold = true
    return copy
  }

  /// A short description for golden dumps, e.g. `green+bold`; empty for ``plain``.
  var summary: String {
    var parts: [String] = []
    if color != .normal { parts.append("\(color)") }
    if isBold { parts.append("bold") }
    if isReversed { parts.append("reverse") }
    if isDim { parts.append("dim") }
    if isUnderlined { parts.append("underline") }
    return parts.joined(separator: "+")
  }
}
