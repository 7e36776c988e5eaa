import Testing

@testable import LayerCore

@Suite struct PathCleanerTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var raw: String
    var outcome: PathCleaner.Outcome
    var testDescription: String { raw }
  }

  static let cases: [Case] = [
    Case(raw: "./etc/passwd", outcome: .entry(Array("etc/passwd".utf8))),
    Case(raw: "/usr//lib/./x/", outcome: .entry(Array("usr/lib/x".utf8))),
    Case(raw: "a/b/../c", outcome: .entry(Array("a/c".utf8))),
    Case(raw: "./", outcome: .root),
    Case(raw: "etc/.wh.motd", outcome: .whiteout(Array("etc/motd".utf8))),
    Case(raw: ".wh.top", outcome: .whiteout(Array("top".utf8))),
    Case(raw: "usr/share/.wh..wh..opq", outcome: .opaque(Array("usr/share".utf8))),
    Case(raw: ".wh..wh..opq", outcome: .opaque([])),
    Case(raw: ".wh..wh.plnk/123", outcome: .entry(Array(".wh..wh.plnk/123".utf8))),
    Case(raw: "x/.wh..wh.aufs", outcome: .ignored),
  ]

  @Test(arguments: cases)
  func `names are cleaned and classified`(testCase: Case) throws {
    #expect(try PathCleaner.classify(Array(testCase.raw.utf8)) == testCase.outcome)
  }

  @Test(arguments: ["../etc", "a/../../b", "/.."])
  func `names leaving the root are refused`(raw: String) {
    #expect(throws: PathCleaner.Failure.escapesRoot) {
      _ = try PathCleaner.classify(Array(raw.utf8))
    }
  }

  @Test(arguments: ["a/.wh.", "a/.wh..", "a/.wh..."])
  func `empty whiteouts are refused`(raw: String) {
    #expect(throws: PathCleaner.Failure.invalidWhiteout) {
      _ = try PathCleaner.classify(Array(raw.utf8))
    }
  }
}
