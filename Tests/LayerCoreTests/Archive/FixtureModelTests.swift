import Foundation
import Testing

@testable import LayerCore

/// Every fixture read through its own layout gives the layers, sizes and changes that the
/// independent reader derived from the same bytes.
@Suite struct FixtureModelTests {
  static let singleImageFixtures = [
    "docker-legacy.tar", "docker25.tar", "docker-archive-skopeo.tar", "podman-archive.tar",
    "oci-gzip.tar", "oci-zstd.tar", "oci-zstd-chunked.tar", "plain-layers.tar",
    "oci-multimember-gzip.tar", "buildah-archive.tar",
  ]

  @Test(arguments: singleImageFixtures)
  func `layers and changes match the independent facts`(fixture: String) throws {
    let facts = try Fixtures.expected(fixture)
    let images = try #require(facts["images"] as? [[String: Any]])
    let image = try #require(images.first)
    let model = try Fixtures.model(fixture)
    let layers = try #require(image["layers"] as? [[String: Any]])
    #expect(model.layerCount == layers.count)
    for (index, layer) in layers.enumerated() where index < model.layerCount {
      let info = model.info.layers[index]
      #expect(info.diffID == layer["diffID"] as? String, "layer \(index)")
      #expect(info.entryCount == layer["entryCount"] as? Int, "layer \(index)")
      #expect(info.contentSize == Int64(layer["contentSize"] as? Int ?? -1), "layer \(index)")
      #expect(
        Fixtures.changes(model, layer: index) == Fixtures.expectedChanges(layer),
        "layer \(index)")
    }
    #expect(model.info.history.count == image["historyEntries"] as? Int)
  }

  @Test func `the OCI layout directory reads like its archive`() throws {
    let directory = try Fixtures.model("oci-layout")
    let archive = try Fixtures.model("oci-gzip.tar")
    #expect(directory.info.layers.map(\.diffID) == archive.info.layers.map(\.diffID))
    for layer in 0..<archive.layerCount {
      #expect(Fixtures.changes(directory, layer: layer) == Fixtures.changes(archive, layer: layer))
    }
  }

  @Test func `history keeps empty steps and pairs the rest with layers`() throws {
    let model = try Fixtures.model("docker-legacy.tar")
    let empty = model.info.history.filter(\.isEmptyLayer)
    #expect(empty.count == 3)
    #expect(empty.allSatisfy { $0.layerIndex == nil })
    let made = model.info.history.compactMap(\.layerIndex)
    #expect(made == Array(0..<model.layerCount))
    #expect(model.info.layers[0].history?.createdBy == "ADD base.tar / # buildkit")
  }

  @Test func `a non-UTF-8 name keeps its bytes`() throws {
    let model = try Fixtures.model("docker-legacy.tar")
    let raw: [UInt8] = Array("srv/names/raw-".utf8) + [0xff, 0xfe] + Array(".txt".utf8)
    let node = try #require(model.tree.lookup(raw))
    #expect(
      model.tree.name(of: node).elementsEqual(
        [UInt8]("raw-".utf8) + [0xff, 0xfe]
          + [UInt8](".txt".utf8)))
  }

  @Test func `a hard link keeps its target and a symlink its text`() throws {
    let model = try Fixtures.model("docker-legacy.tar")
    let view = model.mergedView(at: model.layerCount - 1)
    let hardlink = try #require(model.tree.lookup(Array("srv/www/index-hardlink.html".utf8)))
    let link = model.record(try #require(view.record(of: hardlink)))
    let other = try #require(model.tree.lookup(Array("srv/www/index.html".utf8)))
    let otherRecord = model.record(try #require(view.record(of: other)))
    // Docker writes entries sorted by name, so one of the two names carries the data and the
    // other is the hard link entry pointing at it.
    let kinds = Set([link.kind, otherRecord.kind])
    #expect(kinds == [.hardlink, .regular])
    let linkEntry = link.kind == .hardlink ? link : otherRecord
    #expect(
      ["srv/www/index.html", "srv/www/index-hardlink.html"]
        .contains(String(decoding: linkEntry.linkTarget, as: UTF8.self)))
  }
}
