import LayerCore
import Testing

@testable import LayerUI

/// The layer ancestry of a data root: Tab from the picker, shared layers marked, the selected
/// layer's users in full.
@Suite struct AncestryPaneTests {
  let catalog: TestCatalog

  /// Two images on one base layer, one with two layers of its own, and a layer no image
  /// uses.
  init() throws {
    let model = try TestImage.example()
    var catalog = TestCatalog([model, model], names: ["example/app-a:1", "example/app-b:1"])
    func node(_ digit: String, size: Int64, parent: Int?, children: [Int], users: [String])
      -> LayerAncestry.Node
    {
      LayerAncestry.Node(
        chainID: "sha256:" + String(repeating: "c" + digit, count: 32),
        diffID: "sha256:" + String(repeating: digit, count: 64), sizeBytes: size,
        parent: parent, children: children, usedBy: users)
    }
    let both = ["example/app-a:1", "example/app-b:1"]
    catalog.layerAncestry = LayerAncestry(
      nodes: [
        node("1", size: 5_000_000, parent: nil, children: [1, 3], users: both),
        node("2", size: 2_000, parent: 0, children: [2], users: ["example/app-a:1"]),
        node("3", size: 300, parent: 1, children: [], users: ["example/app-a:1"]),
        node("4", size: 40_000, parent: 0, children: [], users: ["example/app-b:1"]),
        node("5", size: 12, parent: nil, children: [], users: []),
      ],
      roots: [0, 4], exclusiveBytes: ["example/app-a:1": 2_300, "example/app-b:1": 40_000])
    self.catalog = catalog
  }

  func screen(_ keys: String) throws -> ScreenBuffer {
    App.replay(try KeyScript.parse(keys), catalog: catalog, initialImage: nil)
  }

  @Test func `Tab from the picker shows the ancestry with shared layers marked`() throws {
    #expect(try screen("").text.contains("Tab layer ancestry"))
    let buffer = try screen("<Tab>")
    #expect(buffer.text.contains("5 layers · ◆ 1 shared by several images"))
    #expect(buffer.text.contains("Shared by 2 images: example/app-a:1,\n example/app-b:1"))
    Golden.check(buffer, suite: "Ancestry", name: "shared-base")
  }

  @Test func `the selected layer says who uses it and what removing its image frees`() throws {
    let own = try screen("<Tab> j").text
    #expect(own.contains("Only example/app-a:1 uses it; removing\n that image frees 2.3 kB."))
    let unused = try screen("<Tab> G").text
    #expect(unused.contains("No image uses this layer."))
    #expect(try screen("<Tab> <Esc>").text.contains("Images"))
    // A click on the title selects nothing; one on a row selects it.
    #expect(try screen("<Tab> j <Click 5,0>").text.contains("Only example/app-a:1"))
    #expect(try screen("<Tab> <Click 5,4>").text.contains("Only example/app-b:1"))
  }
}
