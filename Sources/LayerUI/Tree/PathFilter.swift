import Glibc
import LayerCore

/// The paths of an image that match a filter pattern: a POSIX extended regular expression
/// against the absolute path (`/etc/passwd`), or a plain substring when the pattern has no
/// special characters. Characters are read as UTF-8 whatever the locale.
///
/// Matching steps a ``PathAutomaton`` through each node's name from its parent's state, so a
/// million paths cost about one table look-up per name byte. Patterns the automaton does not
/// read (character classes, back-references, GNU escapes) run the C library's `regexec` on
/// every path instead, which is some hundred times slower. The result does not depend on the
/// layer or the view, so moving between layers reuses it.
final class PathFilter {
  /// A pattern that is not a valid regular expression.
  struct PatternError: Error, Equatable {
    var message: String
  }

  let pattern: String
  let matches: NodeSet
  let matchList: [NodeIndex]
  /// Whether the automaton matched, rather than `regexec` on every path.
  let usesAutomaton: Bool

  /// Matches every path of the tree.
  ///
  /// - Complexity: O(total name length) for the patterns ``PathPattern`` reads; otherwise
  ///   O(total path length) runs of `regexec`.
  init(pattern: String, tree: PathTree) throws(PatternError) {
    self.pattern = pattern
    let special = Set("\\^$.[]|()*+?{}".utf8)
    var parsed: PathPattern?
    var regex: CompiledRegex?
    if pattern.utf8.contains(where: special.contains) {
      regex = try CompiledRegex(pattern)
      parsed = PathPattern.parse(pattern)
    } else {
      parsed = PathPattern.literal(pattern)
    }
    var found = parsed.flatMap { Self.automatonMatches(PathAutomaton($0), tree: tree) }
    usesAutomaton = found != nil
    if found == nil, let regex { found = Self.regexMatches(regex, tree: tree) }
    matchList = found ?? []
    var set = NodeSet(count: tree.count)
    for node in matchList { set.insert(node) }
    matches = set
  }

  /// The matching nodes in index order, or nil when the automaton grew too large.
  private static func automatonMatches(
    _ automaton: PathAutomaton, tree: PathTree
  ) -> [NodeIndex]? {
    var automaton = automaton
    var states = [PathAutomaton.StateID](repeating: 0, count: tree.count)
    states[0] = automaton.initial
    var found: [NodeIndex] = []
    // Parents come before their children, so each parent's state is ready.
    for index in 1..<max(1, tree.count) {
      let node = NodeIndex(index)
      var state = states[Int(tree.parent(of: node))]
      if state != PathAutomaton.accepted {
        guard let next = automaton.step(state, UInt8(ascii: "/")) else { return nil }
        state = next
        for byte in tree.name(of: node) {
          guard let next = automaton.step(state, byte) else { return nil }
          state = next
        }
      }
      states[index] = state
      if automaton.matchesAtEnd(state) { found.append(node) }
    }
    return found
  }

  /// The matching nodes in index order, one `regexec` per path.
  private static func regexMatches(_ regex: CompiledRegex, tree: PathTree) -> [NodeIndex] {
    var found: [NodeIndex] = []
    var path: [UInt8] = []
    for index in 1..<max(1, tree.count) {
      path.removeAll(keepingCapacity: true)
      tree.appendPath(of: NodeIndex(index), to: &path)
      path.append(0)
      if regex.matches(path) { found.append(NodeIndex(index)) }
    }
    return found
  }
}

/// A `regcomp`'d POSIX extended regular expression, compiled and run in the C.UTF-8 locale so
/// that it reads characters as ``PathPattern`` does whatever the user's locale is.
final class CompiledRegex {
  private let regex: UnsafeMutablePointer<regex_t>
  private let locale: locale_t?

  /// Compiles a pattern.
  ///
  /// - Throws: ``PathFilter/PatternError`` with the C library's message, lower-cased.
  init(_ pattern: String) throws(PathFilter.PatternError) {
    // glibc spells the masks as macros Swift does not import: LC_CTYPE_MASK is 1 << LC_CTYPE.
    let locale = newlocale(1 << LC_CTYPE | 1 << LC_COLLATE, "C.UTF-8", nil)
    let regex = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
    let status = Self.inLocale(locale) { regcomp(regex, pattern, REG_EXTENDED | REG_NOSUB) }
    guard status == 0 else {
      var buffer = [CChar](repeating: 0, count: 200)
      regerror(status, regex, &buffer, buffer.count)
      regex.deallocate()
      if let locale { freelocale(locale) }
      let text = String(
        decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
        as: UTF8.self)
      throw PathFilter.PatternError(message: text.lowercased())
    }
    self.regex = regex
    self.locale = locale
  }

  deinit {
    regfree(regex)
    regex.deallocate()
    if let locale { freelocale(locale) }
  }

  /// Whether the pattern matches somewhere in a NUL-terminated byte string.
  func matches(_ text: [UInt8]) -> Bool {
    Self.inLocale(locale) {
      text.withUnsafeBufferPointer { bytes in
        bytes.withMemoryRebound(to: CChar.self) { regexec(regex, $0.baseAddress, 0, nil, 0) == 0 }
      }
    }
  }

  private static func inLocale<Result>(_ locale: locale_t?, _ body: () -> Result) -> Result {
    guard let locale else { return body() }
    let previous = uselocale(locale)
    defer { uselocale(previous) }
    return body()
  }
}
