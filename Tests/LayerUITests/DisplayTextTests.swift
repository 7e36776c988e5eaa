import Testing

@testable import LayerUI

@Suite struct DisplayTextTests {
  @Test(arguments: [
    (Array("plain".utf8), "plain"),
    ([0x61, 0xFF, 0x62], "a\\xffb"),
    ([0x1B, 0x5B, 0x32, 0x4A], "\\x1b[2J"),
    ([0xC3, 0x28], "\\xc3("),
    ([0xE2, 0x80, 0xAE, 0x61], "\\u{202e}a"),
    ([0xC0, 0xAF], "\\xc0\\xaf"),
    (Array("a\\b".utf8), "a\\\\b"),
    (Array("日本".utf8), "日本"),
  ])
  func `names decode with unsafe bytes escaped`(bytes: [UInt8], expected: String) {
    #expect(DisplayText.decode(bytes) == expected)
  }

  @Test func `commands keep backslashes and lose control characters`() {
    #expect(DisplayText.safe("echo a \\\n\u{9b}x") == "echo a \\\\x0a\\x9bx")
  }

  @Test(arguments: [("a", 1), ("日", 2), ("\u{301}", 0), ("é", 1), ("😀", 2), ("\u{200D}", 0)])
  func `display widths`(text: String, width: Int) {
    #expect(DisplayWidth.of(text) == width)
  }
}
