import Glibc
import LayerCore

/// The paths of an image that match a filter pattern: a POSIX extended regular expression
/// against the absolute path (`/etc/passwd`), or a plain substring when the pattern has no
/// special characters.
///
/// Matching looks at every path once per pattern; the result does not depend on the layer or
/// the view, so moving between layers reuses it.
// TODO: match in the background and debounce typing; a million paths take about a second per
// keystroke of a regular expression (plain substrings are much faster).
final class PathFilter {
  /// A pattern that is not a valid regular expression.
  struct PatternError: Error, Equatable {
    var message: String
  }

  let pattern: String
  let matches: NodeSet
  let matchList: [NodeIndex]

  /// Matches every path of the tree.
  ///
  /// - Complexity: O(total path length).
  init(pattern: String, tree: PathTree) throws(PatternError) {
    self.pattern = pattern
    let special = Set("\\^$.[]|()*+?{}".utf8)
    var matcher: (UnsafeBufferPointer<UInt8>) -> Bool
    var compiled: UnsafeMutablePointer<regex_t>? = nil
    if pattern.utf8.contains(where: special.contains) {
      let regex = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
      let status = regcomp(regex, pattern, REG_EXTENDED | REG_NOSUB)
      guard status == 0 else {
        var buffer = [CChar](repeating: 0, count: 200)
        regerror(status, regex, &buffer, buffer.count)
        regex.deallocate()
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                          as: UTF8.self)
        throw PatternError(message: text.lowercased())
      }
      compiled = regex
      matcher = { path in
        path.withMemoryRebound(to: CChar.self) { regexec(regex, $0.baseAddress, 0, nil, 0) == 0 }
      }
    } else {
      let needle = Array(pattern.utf8)
      matcher = { path in Self.contains(path, needle) }
    }
    defer {
      if let compiled {
        regfree(compiled)
        compiled.deallocate()
      }
    }
    var set = NodeSet(count: tree.count)
    var list: [NodeIndex] = []
    Self.walk(tree) { node, path in
      if matcher(path) {
        set.insert(node)
        list.append(node)
      }
    }
    matches = set
    matchList = list
  }

  /// Calls `body` with every node but the root and its NUL-terminated path (the NUL is past
  /// the buffer's end).
  private static func walk(
    _ tree: PathTree, _ body: (NodeIndex, UnsafeBufferPointer<UInt8>) -> Void
  ) {
    var path: [UInt8] = []
    var stack: [(node: NodeIndex, prefix: Int)] = tree.children(of: PathTree.root).map { ($0, 0) }
    while let (node, prefix) = stack.popLast() {
      path.removeSubrange(prefix...)
      path.append(UInt8(ascii: "/"))
      path.append(contentsOf: tree.name(of: node))
      let length = path.count
      path.append(0)
      path.withUnsafeBufferPointer { body(node, UnsafeBufferPointer(rebasing: $0[..<length])) }
      path.removeLast()
      for child in tree.children(of: node) { stack.append((child, length)) }
    }
  }

  private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard haystack.count >= needle.count else { return false }
    let first = needle[0]
    for start in 0...(haystack.count - needle.count) where haystack[start] == first {
      var offset = 1
      while offset < needle.count && haystack[start + offset] == needle[offset] { offset += 1 }
      if offset == needle.count { return true }
    }
    return false
  }
}
