import Testing

@testable import LayerUI

@Suite struct ScreenBufferTests {
  @Test func `wide characters take two cells and keep later columns aligned`() {
    var buffer = ScreenBuffer(width: 10, height: 1)
    let end = buffer.write("日本x", x: 0, y: 0)
    #expect(end == 5)
    #expect(buffer[1, 0].isContinuation)
    #expect(buffer[4, 0].text == "x")
    #expect(buffer.text == "日本x")
  }

  @Test func `combining marks join the cell before them`() {
    var buffer = ScreenBuffer(width: 6, height: 1)
    let end = buffer.write("cafe\u{301}!", x: 0, y: 0)
    #expect(end == 5)
    #expect(buffer[3, 0].text == "e\u{301}")
    #expect(buffer[4, 0].text == "!")
  }

  @Test func `joined emoji are drawn part by part, so later columns stay where counted`() {
    var buffer = ScreenBuffer(width: 12, height: 1)
    // A family joined by U+200D, a thumb with a skin tone, a heart with U+FE0F.
    let end = buffer.write("a👨\u{200D}👩\u{200D}👧👍\u{1F3FD}❤\u{FE0F}b", x: 0, y: 0)
    #expect(end == 11)
    #expect(buffer.text == "a👨👩👧👍❤b")
    #expect(buffer[10, 0].text == "b")
    let joining: Set<UInt32> = [0x200D, 0xFE0F, 0x1F3FD]
    #expect(
      !buffer.cells.contains { cell in
        cell.text.unicodeScalars.contains { joining.contains($0.value) }
      })
    // A joiner between letters of a script, not emoji, stays with its letter.
    var script = ScreenBuffer(width: 6, height: 1)
    script.write("क\u{200D}ष", x: 0, y: 0)
    #expect(script[0, 0].text == "क\u{200D}")
  }

  @Test func `a wide character that does not fit leaves a space`() {
    var buffer = ScreenBuffer(width: 3, height: 1)
    buffer.write("a日本", x: 0, y: 0)
    #expect(buffer.text == "a日")
    var narrow = ScreenBuffer(width: 4, height: 1)
    narrow.write("ab日", x: 0, y: 0, limit: 3)
    #expect(narrow[2, 0].text == " ")
  }

  @Test func `overwriting half of a wide character blanks the other half`() {
    var buffer = ScreenBuffer(width: 4, height: 1)
    buffer.write("日本", x: 0, y: 0)
    buffer.write("x", x: 1, y: 0)
    #expect(buffer[0, 0].text == " ")
    #expect(buffer.text == " x本")
  }

  @Test func `control characters never reach the buffer`() {
    var buffer = ScreenBuffer(width: 30, height: 1)
    buffer.write("a\u{1b}[31mb\u{7}", x: 0, y: 0)
    #expect(buffer.text == "a\\x1b[31mb\\x07")
    #expect(!buffer.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 } })
  }

  @Test func `writes are clipped to the buffer`() {
    var buffer = ScreenBuffer(width: 3, height: 1)
    buffer.write("abcdef", x: 1, y: 0)
    buffer.write("zz", x: 0, y: 5)
    #expect(buffer.text == " ab")
  }
}
