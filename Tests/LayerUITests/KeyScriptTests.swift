import Testing

@testable import LayerUI

@Suite struct KeyScriptTests {
  @Test func `plain characters and named keys`() throws {
    let events = try KeyScript.parse("j j <Tab> /etc<Enter> <C-a> <C-Space> <lt> q")
    #expect(
      events == [
        .character("j"), .character("j"), .special(.tab), .character("/"), .character("e"),
        .character("t"), .character("c"), .special(.enter), .control(1), .control(0),
        .character("<"), .character("q"),
      ])
  }

  @Test func `resize and mouse events`() throws {
    let events = try KeyScript.parse("<Resize 60x20> <Click 3,4> <WheelDown 1,2>\n# note\n")
    #expect(
      events == [
        .resize(width: 60, height: 20), .mouse(MouseEvent(.press, x: 3, y: 4)),
        .mouse(MouseEvent(.wheelDown, x: 1, y: 2)),
      ])
  }

  @Test func `unknown names are reported`() {
    #expect(throws: KeyScript.ParseError(message: "unknown key '<Bogus>' in the key replay")) {
      try KeyScript.parse("j <Bogus>")
    }
  }

  @Test func `dive keys map to the same commands`() {
    #expect(KeyMap.command(for: .ctrl("l"), focus: .layers) == .showView(.merged))
    #expect(KeyMap.command(for: .ctrl("a"), focus: .layers) == .showView(.aggregated))
    #expect(KeyMap.command(for: .ctrl("a"), focus: .tree) == .toggleHidden(.added))
    #expect(KeyMap.command(for: .ctrl("r"), focus: .tree) == .toggleHidden(.removed))
    #expect(KeyMap.command(for: .ctrl("u"), focus: .tree) == .toggleHidden(.unchanged))
    #expect(KeyMap.command(for: .ctrl("b"), focus: .tree) == .toggleAttributes)
    #expect(KeyMap.command(for: .ctrl("o"), focus: .tree) == .toggleSort)
    #expect(KeyMap.command(for: .ctrl("f"), focus: .tree) == .startFilter)
    #expect(KeyMap.command(for: .control(0), focus: .tree) == .toggleCollapseAll)
    #expect(KeyMap.command(for: .ctrl("c"), focus: .tree) == .quit)
  }
}
