import Glibc
import LayerCore
import Testing

@testable import LayerUI

/// The path filter's automaton against glibc's own `regexec`, run on each whole path in the
/// C.UTF-8 locale: the same answer for every path, on a real fixture and on odd names.
@Suite struct PathFilterTests {
  let trees: [PathTree]

  init() throws {
    let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    let archive = try ArchiveCatalog(path: "/" + root + "/TestImages/docker25.tar")
    let odd = LayerSpec("odd names")
      .dir("a").dir("a/b").file("a/b/c", size: 1).file("a/aab", size: 1)
      .file("x{1}", size: 1).file("dots/a.b", size: 1).file("dots/a+b", size: 1)
      .file("u/é/ü.txt", size: 1).file("u/日本語/x", size: 1).file("u/cafe\u{301}", size: 1)
      .file("nl/line\nbreak", size: 1).file("tab/a\tb", size: 1)
      .file(bytes: Array("raw/x".utf8) + [0xFF, 0xFE] + Array("y".utf8), size: 1)
      .file(bytes: Array("raw/a".utf8) + [0xC3] + Array("b".utf8), size: 1)
      .file("lib/libc.so.6", size: 1).file("lib/libfoo.so", size: 1)
      .file("deep/" + String(repeating: "d/", count: 30) + "end", size: 1)
    trees = [
      try archive.openImage(at: 0).tree, try TestImage.example().tree,
      try TestImage.make([odd]).tree,
    ]
  }

  static let automatonPatterns = [
    "lib", "lib.*so", "^/etc", "passwd$", "^/etc/passwd$", "a|b", "a|", "(|x)", "()", "s+",
    "o{2}", "o{1,}", "l{0,2}i", "a{,2}b", "a{2}{2}", "[a-c]", "[^a-z/]", "[]x]", "[^]a]",
    "[a-]", "x.y", "a.b", "日", "é", "caf.", "caf..", "e.$", ".txt$", "/[^/]*$",
    "^/[^/]+$", "^/(etc|usr)/", "(s|r)v/", "\\.so", "^^/e", "b$$", "$", "^", "x*", "a**",
    "^/srv/.{3}$", ".{40}", "raw-.", "raw-..", "raw-", "[.]", "\\(", "\\{1}", "x\\{", "n.me",
    "line.break", "a.b$", "(ab|a)(c|bab)", "((a|b)*c)+", "^/[a-z]+/[a-z]+$", "\\+", "}",
    "]", "/d/d/d", "(d/){10}", "日本語$", "^/u/..?/", "x..y", "x.*y", "ü", "/$",
    "^$", "^/$", "a?b?c?d?$",
  ]

  @Test(arguments: automatonPatterns)
  func `the automaton matches the paths regexec matches`(pattern: String) throws {
    for tree in trees {
      let filter = try PathFilter(pattern: pattern, tree: tree)
      #expect(filter.usesAutomaton)
      try expectSameAsRegexec(filter, pattern: pattern, tree: tree)
    }
  }

  @Test(arguments: [
    "[[:digit:]]", "\\bso", "(l)\\1", "[[:alpha:]]+\\.so", "[^日]$", "[日]", "a{100}",
  ])
  func `patterns the automaton leaves out still match through regexec`(pattern: String) throws {
    for tree in trees {
      let filter = try PathFilter(pattern: pattern, tree: tree)
      #expect(!filter.usesAutomaton)
      try expectSameAsRegexec(filter, pattern: pattern, tree: tree)
    }
  }

  @Test func `a pattern that blows the automaton up falls back and still matches`() throws {
    // 3,000 names of 20 random letters, and a pattern whose deterministic automaton must tell
    // apart up to 2^14 states: the last 14 bytes, a letter or not.
    var random: UInt64 = 42
    var layer = LayerSpec("random names").dir("r")
    for _ in 0..<3_000 {
      var name = "r/"
      for _ in 0..<20 {
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        name.append(Character(Unicode.Scalar(UInt8(97 + (random >> 33) % 26))))
      }
      layer = layer.file(name, size: 1)
    }
    let tree = try TestImage.make([layer]).tree
    let pattern = "[a-m].{13}$"
    let filter = try PathFilter(pattern: pattern, tree: tree)
    #expect(!filter.usesAutomaton)
    try expectSameAsRegexec(filter, pattern: pattern, tree: tree)
  }

  @Test func `invalid patterns report glibc's message`() {
    #expect(throws: PathFilter.PatternError(message: "unmatched ( or \\(")) {
      try PathFilter(pattern: "(", tree: trees[0])
    }
    #expect(throws: PathFilter.PatternError(message: "invalid preceding regular expression")) {
      try PathFilter(pattern: "*a", tree: trees[0])
    }
  }

  @Test func `plain text matches as a substring`() throws {
    let filter = try PathFilter(pattern: "so.6", tree: trees[2])
    let paths = filter.matchList.map { trees[2].path(of: $0) }
    #expect(paths == [Array("/lib/libc.so.6".utf8)])
  }

  /// Compares the filter with `regexec` over each whole path.
  private func expectSameAsRegexec(
    _ filter: PathFilter, pattern: String, tree: PathTree,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let locale = try #require(newlocale(1 << LC_CTYPE | 1 << LC_COLLATE, "C.UTF-8", nil))
    defer { freelocale(locale) }
    let previous = uselocale(locale)
    defer { uselocale(previous) }
    var regex = regex_t()
    try #require(regcomp(&regex, pattern, REG_EXTENDED | REG_NOSUB) == 0)
    defer { regfree(&regex) }
    var differing: [String] = []
    for index in 1..<tree.count {
      let node = NodeIndex(index)
      var path = tree.path(of: node)
      path.append(0)
      let expected =
        path.withUnsafeBufferPointer { bytes in
          bytes.withMemoryRebound(to: CChar.self) { regexec(&regex, $0.baseAddress, 0, nil, 0) }
        } == 0
      if expected != filter.matches.contains(node) {
        differing.append(DisplayText.decode(tree.path(of: node)) + " expected \(expected)")
      }
    }
    #expect(
      differing.isEmpty, "'\(pattern)': \(differing.prefix(5))",
      sourceLocation: sourceLocation)
  }
}
