/// A set of byte values, one bit each.
struct ByteSet: Equatable, Hashable, Sendable {
  private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

  init() {}

  /// The bytes of a closed range.
  init(_ range: ClosedRange<UInt8>) {
    for byte in range { insert(byte) }
  }

  func contains(_ byte: UInt8) -> Bool {
    let bit = UInt64(1) << UInt64(byte & 63)
    switch byte >> 6 {
    case 0: return words.0 & bit != 0
    case 1: return words.1 & bit != 0
    case 2: return words.2 & bit != 0
    default: return words.3 & bit != 0
    }
  }

  mutating func insert(_ byte: UInt8) {
    let bit = UInt64(1) << UInt64(byte & 63)
    switch byte >> 6 {
    case 0: words.0 |= bit
    case 1: words.1 |= bit
    case 2: words.2 |= bit
    default: words.3 |= bit
    }
  }

  static func == (lhs: ByteSet, rhs: ByteSet) -> Bool {
    lhs.words == rhs.words
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(words.0)
    hasher.combine(words.1)
    hasher.combine(words.2)
    hasher.combine(words.3)
  }
}

/// A POSIX extended regular expression read into a tree, for ``PathAutomaton``.
///
/// It reads the part of the syntax people type as path filters: literals, `.`, bracket
/// expressions of ASCII characters and ranges, groups, `|`, `*`, `+`, `?`, intervals and the
/// `^` and `$` anchors. Characters are UTF-8, as glibc reads them in a UTF-8 locale: `.` and
/// `[^…]` take one well-formed character, never a stray byte. What it does not read (classes
/// such as `[[:alpha:]]`, back-references, GNU escapes such as `\w` or `\<`) makes
/// ``parse(_:)`` return nil, and the caller falls back to the C library.
indirect enum PathPattern: Equatable {
  case empty
  /// One byte out of a set.
  case byte(ByteSet)
  /// One well-formed UTF-8 character, except the ASCII bytes listed.
  case character(excluding: ByteSet)
  case sequence([PathPattern])
  case choice([PathPattern])
  case repetition(PathPattern, min: Int, max: Int?)
  /// `^`: only before the first byte.
  case start
  /// `$`: only after the last byte.
  case end

  /// Intervals past this many copies are left to the C library.
  static let largestInterval = 64

  /// The tree of a pattern the C library has already accepted, or nil when it uses syntax
  /// this reader leaves to the C library.
  static func parse(_ pattern: String) -> PathPattern? {
    var parser = Parser(scalars: Array(pattern.unicodeScalars))
    guard let tree = parser.choice(), parser.position == parser.scalars.count else { return nil }
    return tree
  }

  /// A pattern that matches the text itself anywhere.
  static func literal(_ text: String) -> PathPattern {
    .sequence(text.utf8.map { .byte(ByteSet($0...$0)) })
  }
}

/// Reads ``PathPattern``s; every method returns nil for syntax it leaves to the C library.
private struct Parser {
  let scalars: [Unicode.Scalar]
  var position = 0
  /// Set when a quantifier is one this reader leaves to the C library.
  var refused = false

  var current: Unicode.Scalar? {
    position < scalars.count ? scalars[position] : nil
  }

  mutating func choice() -> PathPattern? {
    var branches: [PathPattern] = []
    while true {
      guard let branch = sequence() else { return nil }
      branches.append(branch)
      guard current == "|" else { break }
      position += 1
    }
    return branches.count == 1 ? branches[0] : .choice(branches)
  }

  mutating func sequence() -> PathPattern? {
    var items: [PathPattern] = []
    while let scalar = current, scalar != "|", scalar != ")" {
      guard var item = atom() else { return nil }
      while let count = quantifier() {
        if item == .start || item == .end { return nil }
        item = .repetition(item, min: count.min, max: count.max)
      }
      if refused { return nil }
      items.append(item)
    }
    if items.isEmpty { return .empty }
    return items.count == 1 ? items[0] : .sequence(items)
  }

  mutating func atom() -> PathPattern? {
    guard let scalar = current else { return nil }
    position += 1
    switch scalar {
    case "(":
      guard let inner = choice(), current == ")" else { return nil }
      position += 1
      return inner
    case "[": return bracket()
    case ".": return .character(excluding: ByteSet())
    case "^": return .start
    case "$": return .end
    case "*", "+", "?", "{": return nil
    case "\\":
      guard let escaped = current, escaped.isASCII else { return nil }
      position += 1
      let value = UInt8(escaped.value)
      let letter = value | 0x20
      let isWordish = (48...57).contains(value) || (97...122).contains(letter)
      // GNU gives letters and digits after a backslash meanings of its own (\w, \b, \1).
      if isWordish || escaped == "<" || escaped == ">" || escaped == "`" || escaped == "'" {
        return nil
      }
      return .byte(ByteSet(value...value))
    default:
      return .literal(String(Character(scalar)))
    }
  }

  /// `*`, `+`, `?` or an interval, as counts.
  mutating func quantifier() -> (min: Int, max: Int?)? {
    switch current {
    case "*":
      position += 1
      return (0, nil)
    case "+":
      position += 1
      return (1, nil)
    case "?":
      position += 1
      return (0, 1)
    case "{":
      let saved = position
      position += 1
      let low = number()
      var high = low
      if current == "," {
        position += 1
        high = number()
      } else if low == nil {
        position = saved
        return nil
      }
      guard current == "}" else {
        position = saved
        return nil
      }
      position += 1
      let minimum = low ?? 0
      if let high, high < minimum || high > PathPattern.largestInterval { refused = true }
      if minimum > PathPattern.largestInterval { refused = true }
      return (minimum, high)
    default:
      return nil
    }
  }

  mutating func number() -> Int? {
    var value: Int?
    while let scalar = current, scalar.value >= 48 && scalar.value <= 57 {
      value = (value ?? 0) * 10 + Int(scalar.value - 48)
      if value ?? 0 > 100_000 { return nil }
      position += 1
    }
    return value
  }

  /// A bracket expression after its `[`.
  mutating func bracket() -> PathPattern? {
    var negated = false
    if current == "^" {
      negated = true
      position += 1
    }
    var set = ByteSet()
    var first = true
    while let scalar = current, scalar != "]" || first {
      first = false
      position += 1
      guard scalar.isASCII else { return nil }
      if scalar == "[", let next = current, next == ":" || next == "." || next == "=" {
        return nil
      }
      var high = scalar
      if current == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
        high = scalars[position + 1]
        position += 2
        guard high.isASCII, high != "[", high.value >= scalar.value else { return nil }
        if current == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
          return nil
        }
      }
      for value in scalar.value...high.value { set.insert(UInt8(value)) }
    }
    guard current == "]" else { return nil }
    position += 1
    return negated ? .character(excluding: set) : .byte(set)
  }
}
