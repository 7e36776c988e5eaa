import LayerCore
import Testing

@testable import LayerUI

@Suite struct FileTreePaneTests {
  let model: ImageModel

  init() throws {
    model = try TestImage.example()
  }

  /// Every row of the tree, fully walked, as `mark path`.
  func rows(_ pane: FileTreePane) -> [String] {
    var result: [String] = []
    var cursor = pane.tree.first()
    while let current = cursor {
      let mark = pane.tree.view.mark(of: current.node) ?? .unchanged
      let path = DisplayText.decode(model.tree.path(of: current.node))
      result.append("\(mark.symbol) \(path)")
      cursor = pane.tree.next(current)
    }
    return result
  }

  @Test func `merged view marks the layer's own changes and shows what it removed`() {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 1, mode: .merged)
    let shown = rows(pane)
    #expect(shown.contains("~ /etc/passwd"))
    #expect(shown.contains("- /etc/motd"))
    #expect(shown.contains("+ /usr/lib/libfoo.so"))
    #expect(shown.contains("  /bin/sh"))
    #expect(!shown.contains { $0.hasSuffix("/tmp") })
  }

  @Test func `aggregated view compares with the base layer`() {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 2, mode: .aggregated)
    let shown = rows(pane)
    #expect(shown.contains("~ /etc/passwd"))
    #expect(shown.contains("- /etc/motd"))
    #expect(shown.contains("+ /tmp"))
    // Added in layer 1 and removed in layer 2: never in the base, not there at the end.
    #expect(!shown.contains { $0.hasSuffix("libfoo.so") })
  }

  @Test func `layer-only view holds the changes and the directories that lead to them`() {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 2, mode: .layerChanges)
    #expect(
      rows(pane) == [
        "  /srv", "- /srv/data.bin", "+ /tmp", "  /usr", "  /usr/lib",
        "- /usr/lib/libfoo.so",
      ])
  }

  @Test func `hiding unchanged entries keeps the directories above changes`() {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 1, mode: .merged)
    var options = pane.options
    options.hidden = [.unchanged]
    pane.apply(options)
    let shown = rows(pane)
    #expect(shown.contains("  /etc"))
    #expect(shown.contains("~ /etc/passwd"))
    #expect(!shown.contains("  /bin"))
  }

  @Test func `a path filter keeps matches and their parents`() throws {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 2, mode: .merged)
    try pane.setFilter("lib.*so")
    #expect(rows(pane) == ["  /usr", "  /usr/lib", "  /usr/lib/libc.so.6", "- /usr/lib/libfoo.so"])
    try pane.setFilter("passwd")
    #expect(rows(pane) == ["  /etc", "  /etc/passwd"])
    #expect(throws: PathFilter.PatternError.self) { try pane.setFilter("(") }
  }

  @Test func `sorting by size puts the largest first`() {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 0, mode: .merged)
    var options = pane.options
    options.sortsBySize = true
    pane.apply(options)
    #expect(Array(rows(pane).prefix(3)) == ["+ /usr", "+ /usr/lib", "+ /usr/lib/libc.so.6"])
  }

  @Test func `the selection follows its path across layers and survives collapse`() {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 2, mode: .merged)
    #expect(pane.search("passwd"))
    let selected = pane.selectedNode
    pane.show(layer: 0, mode: .merged)
    #expect(pane.selectedNode == selected)
    pane.setAllExpanded(false)
    #expect(pane.selectedNode == model.tree.lookup(Array("etc".utf8)))
  }

  @Test func `search finds names inside collapsed directories and wraps`() {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 2, mode: .merged)
    pane.setAllExpanded(false)
    #expect(pane.search("LIBC") == false)
    #expect(pane.search("libc"))
    #expect(pane.selectedNode == model.tree.lookup(Array("usr/lib/libc.so.6".utf8)))
    #expect(pane.search("sh"))
    #expect(pane.selectedNode == model.tree.lookup(Array("bin/sh".utf8)))
  }

  @Test func `a tree that gets shorter is not left scrolled past its start`() {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 1, mode: .merged)
    pane.pageHeight = 4
    pane.move(by: 10)
    pane.move(by: -3)
    #expect(pane.selectedNode == model.tree.lookup(Array("srv/bad\u{1b}]0;pwned\u{7}name".utf8)))
    // Collapsed, the tree has five rows: bin, etc, lib, srv, usr; srv stays selected.
    pane.setAllExpanded(false)
    let window = pane.windowRows(4).map { DisplayText.decode(model.tree.path(of: $0.node)) }
    #expect(window == ["/etc", "/lib", "/srv", "/usr"])
    #expect(pane.selectedNode == model.tree.lookup(Array("srv".utf8)))
  }

  @Test func `paging moves a window of rows`() {
    let pane = FileTreePane(source: TreeSource(model: model), layer: 1, mode: .merged)
    pane.pageHeight = 4
    pane.move(by: 10)
    let window = pane.windowRows(4)
    #expect(window.count == 4)
    #expect(pane.isSelected(window[3]))
    pane.moveToLast()
    #expect(pane.windowRows(4).last.map(pane.isSelected) == true)
  }
}
