import Foundation
import Testing

@testable import LayerCore

/// The layer tree of the real data root: shared, unused and exclusive layers.
@Suite(.enabled(if: DataRootFixture.shouldRun))
struct LayerAncestryTests {
  @Test func `every layerdb layer is a node and parents match`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let ancestry = try #require(try catalog.ancestry())
    let layerDB = try FileManager.default.contentsOfDirectory(
      atPath: DataRootFixture.root + "/image/overlay2/layerdb/sha256")
    #expect(Set(ancestry.nodes.map { Digest.hex($0.chainID) }) == Set(layerDB))
    for node in ancestry.nodes {
      let parentFile =
        DataRootFixture.root + "/image/overlay2/layerdb/sha256/"
        + Digest.hex(node.chainID) + "/parent"
      let parent = try? String(contentsOfFile: parentFile, encoding: .utf8)
      #expect(node.parent.map { ancestry.nodes[$0].chainID } == parent)
      for child in node.children {
        #expect(ancestry.nodes[child].parent.map { ancestry.nodes[$0] } == node)
      }
    }
    #expect(ancestry.roots.allSatisfy { ancestry.nodes[$0].parent == nil })
  }

  @Test func `shared layers list every image on them`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let ancestry = try #require(try catalog.ancestry())
    let base = try #require(catalog.allImages.first { $0.names == ["layerscope/base:1"] })
    let baseLayer = try #require(
      ancestry.nodes.first {
        $0.chainID == base.config.rootfs.diffIDs.first
      })
    // base, app-a, app-b, fixture, shell, svc-a/b/c, multistage (both), rebuilt (old and new),
    // and the classic build's intermediate images all start on the base layer.
    let onBase = catalog.allImages.filter { $0.config.rootfs.diffIDs.first == baseLayer.diffID }
    #expect(onBase.count >= 12)
    #expect(baseLayer.usedBy.count == onBase.count)
  }

  @Test func `the layer of a removed image is unused but kept by its container`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let tree = try catalog.layerTree()
    let unused = tree.ancestry.nodes.indices.filter { tree.ancestry.nodes[$0].usedBy.isEmpty }
    #expect(unused.count == 1)
    let holder = try #require(catalog.containers.first { $0.name == "orphan-holder" })
    #expect(unused.map { tree.ancestry.nodes[$0].chainID } == [holder.parentChainID])
    #expect(unused.allSatisfy { tree.holders[$0] == ["orphan-holder"] })
  }

  @Test func `removing an image frees the layers only it holds`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let ancestry = try #require(try catalog.ancestry())
    // The rebuilt image and its untagged predecessor differ in their top layer only.
    let rebuilt = try #require(catalog.allImages.first { $0.names == ["layerscope/rebuilt:1"] })
    let old = try #require(
      catalog.allImages.first {
        $0.names.isEmpty
          && $0.config.rootfs.diffIDs.dropLast() == rebuilt.config.rootfs.diffIDs.dropLast()
      })
    #expect(old.config.rootfs.diffIDs.last != rebuilt.config.rootfs.diffIDs.last)
    let sizes = try [rebuilt, old].map { image in
      try String(
        contentsOfFile: DataRootFixture.root + "/image/overlay2/layerdb/sha256/"
          + Digest.hex(try #require(topChainID(image))) + "/size", encoding: .utf8)
    }
    #expect(ancestry.exclusiveBytes["layerscope/rebuilt:1"].map(String.init) == sizes[0])
    #expect(ancestry.exclusiveBytes[Digest.short(old.id)].map(String.init) == sizes[1])
    // The shared base frees nothing: every other image still needs it.
    #expect(ancestry.exclusiveBytes["layerscope/base:1"] == 0)
    // Removing the classic multi-stage image also removes its untagged intermediate parent.
    let classic = try #require(
      catalog.allImages.first {
        $0.names == ["layerscope/multistage-classic:1"]
      })
    #expect(catalog.removalSet(of: classic).count == 2)
  }

  @Test func `the tree text names shared, unused and exclusive layers`() throws {
    guard DataRootFixture.require() else { return }
    let text = try DataRootFixture.catalog().treeText()
    if ProcessInfo.processInfo.environment["PRINT_TREE"] != nil { print(text) }
    #expect(text.contains("Unused layers (no image): 1,"))
    #expect(text.contains("kept by container orphan-holder"))
    #expect(text.contains("top of layerscope/rebuilt:1"))
    #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
  }

  private func topChainID(_ image: ImageRecord) -> String? {
    var chainID: String?
    for diffID in image.config.rootfs.diffIDs {
      chainID = chainID.map { LayerDB.chainID(parent: $0, diffID: diffID) } ?? diffID
    }
    return chainID
  }
}
