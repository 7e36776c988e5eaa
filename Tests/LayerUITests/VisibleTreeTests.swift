import LayerCore
import Testing

@testable import LayerUI

/// Hiding entries by their change mark: a directory whose mark is hidden still shows when
/// something below it shows.
@Suite struct VisibleTreeTests {
  let model: ImageModel

  /// A base, then a layer that chmods `/etc`, `/etc/ssh`, `/etc/ssh/key` and `/opt` (so all
  /// four are modified) and adds `/etc/new`, then a layer that removes `/opt`.
  init() throws {
    let base = LayerSpec("/bin/sh -c #(nop) ADD file:base in /")
      .dir("etc").file("etc/passwd", size: 10).dir("etc/ssh")
      .file("etc/ssh/key", size: 20, mode: 0o600).dir("opt").file("opt/a", size: 30)
    let chmod = LayerSpec("/bin/sh -c chmod -R go-rwx /etc /opt && touch /etc/new")
      .dir("etc", mode: 0o700).dir("etc/ssh", mode: 0o700)
      .file("etc/ssh/key", size: 20, mode: 0o400).file("etc/new", size: 1)
      .dir("opt", mode: 0o700)
    let remove = LayerSpec("/bin/sh -c rm -rf /opt").whiteout("opt")
    model = try TestImage.make([base, chmod, remove])
  }

  /// Every row of the fully expanded tree as `mark path`, with the marks in `hidden` hidden.
  func rows(layer: Int, hiding hidden: Set<ChangeMark>) -> [String] {
    let pane = FileTreePane(source: TreeSource(model: model), layer: layer, mode: .merged)
    var options = pane.options
    options.hidden = hidden
    pane.apply(options)
    var result: [String] = []
    var cursor = pane.tree.first()
    while let current = cursor {
      let mark = pane.tree.view.mark(of: current.node) ?? .unchanged
      result.append("\(mark.symbol) " + DisplayText.decode(model.tree.path(of: current.node)))
      cursor = pane.tree.next(current)
    }
    return result
  }

  @Test func `nothing hidden shows every entry with its mark`() {
    #expect(
      rows(layer: 1, hiding: []) == [
        "~ /etc", "+ /etc/new", "  /etc/passwd", "~ /etc/ssh", "~ /etc/ssh/key", "~ /opt",
        "  /opt/a",
      ])
  }

  @Test func `a modified directory stays while it holds entries that show`() {
    // /etc/ssh holds only a modified key, so it goes; /etc and /opt hold other entries.
    #expect(
      rows(layer: 1, hiding: [.modified]) == [
        "~ /etc", "+ /etc/new", "  /etc/passwd", "~ /opt", "  /opt/a",
      ])
    #expect(
      rows(layer: 1, hiding: [.modified, .added]) == [
        "~ /etc", "  /etc/passwd", "~ /opt", "  /opt/a",
      ])
  }

  @Test func `hiding added entries leaves the rest`() {
    #expect(
      rows(layer: 1, hiding: [.added]) == [
        "~ /etc", "  /etc/passwd", "~ /etc/ssh", "~ /etc/ssh/key", "~ /opt", "  /opt/a",
      ])
  }

  @Test func `hiding unchanged entries keeps the directories above the changes`() {
    #expect(
      rows(layer: 1, hiding: [.unchanged, .added]) == [
        "~ /etc", "~ /etc/ssh", "~ /etc/ssh/key", "~ /opt",
      ])
    #expect(rows(layer: 1, hiding: [.unchanged, .modified]) == ["~ /etc", "+ /etc/new"])
  }

  @Test func `a removed directory goes with everything it removed`() {
    #expect(rows(layer: 2, hiding: []).suffix(2) == ["- /opt", "- /opt/a"])
    #expect(
      rows(layer: 2, hiding: [.removed]) == [
        "  /etc", "  /etc/new", "  /etc/passwd", "  /etc/ssh", "  /etc/ssh/key",
      ])
  }
}
