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
    // docker rmi -f kept the layer of the image it removed: it is the top of the container.
    let orphan = try #require(catalog.containers.first { $0.name == "orphan-holder" })
    #expect(orphan.imageID.map { catalog.allImages.map(\.id).contains($0) } == false)
  }

  @Test func `removing an image frees what docker rmi -f freed`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let tree = try catalog.layerTree()
    var outcomes: Set<String> = []
    for image in catalog.allImages {
      let docker = try DataRootFixture.removal(of: image.id)
      let ours = Set(
        tree.freed[image.id, default: []].map { Digest.hex(tree.ancestry.nodes[$0].chainID) })
      #expect(ours == docker.freed, "\(DataRootCatalog.title(of: image))")
      // The bytes are the layerdb sizes of the layers dockerd deleted.
      let bytes = try docker.freed.reduce(Int64(0)) { sum, hex in
        let text = try String(
          contentsOfFile: DataRootFixture.root + "/image/overlay2/layerdb/sha256/\(hex)/size",
          encoding: .utf8)
        return sum + (Int64(text) ?? -1)
      }
      #expect(tree.ancestry.exclusiveBytes[DataRootCatalog.title(of: image)] == bytes)
      if !docker.refusal.isEmpty {
        outcomes.insert("refused")
      } else if docker.freed.count > 1 {
        outcomes.insert("several layers")
      } else if docker.freed.isEmpty && tree.cachedBytes[DataRootCatalog.title(of: image)] != 0 {
        outcomes.insert("kept by the build cache")
      }
    }
    // The fixture holds each kind of outcome, so the comparison means something.
    #expect(outcomes == ["refused", "several layers", "kept by the build cache"])
  }

  @Test func `after docker builder prune the build cache keeps nothing docker rmi -f frees`()
    throws
  {
    guard DataRootFixture.require() else { return }
    let pruned = DataRootFixture.folder + "/root-pruned"
    let catalog = try DataRootCatalog.open(path: pruned, includeIntermediate: true)
    let tree = try catalog.layerTree()
    var checked = 0
    var freedSome = false
    for image in catalog.allImages {
      let hex = Digest.hex(image.id)
      guard
        FileManager.default.fileExists(
          atPath: DataRootFixture.folder
            + "/facts/removal-pruned/\(hex).txt")
      else { continue }
      let docker = try DataRootFixture.fact("removal-pruned/\(hex).txt")
        .split(separator: "\n").map(String.init)
      let ours = tree.freed[image.id, default: []].map {
        Digest.hex(tree.ancestry.nodes[$0].chainID)
      }
      #expect(Set(ours) == Set(docker), "\(DataRootCatalog.title(of: image))")
      checked += 1
      freedSome = freedSome || !docker.isEmpty
    }
    // Images the cache kept before the prune, and now free their layers.
    #expect(checked > 0 && freedSome)
    // The database walks as bbolt: the answer comes from its live keys, not from stale bytes.
    for root in [DataRootFixture.root, pruned] {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: root + "/buildkit/snapshots.db"))
      #expect(throws: Never.self) { try BoltFile(bytes: [UInt8](bytes)) }
    }
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
