import Foundation
import Testing

@testable import LayerCore

/// Each image read from the data root must show exactly what its own `docker save` archive
/// shows: same layers, changes, records and figures.
@Suite(.enabled(if: DataRootFixture.shouldRun))
struct DataRootArchiveComparisonTests {
  @Test func `every image matches its docker save archive`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    #expect(catalog.entries.count >= 10)
    var changeCounts: [ChangeKind: Int] = [:]
    for (index, entry) in catalog.entries.enumerated() {
      let fromRoot = try catalog.openImage(at: index)
      for layer in fromRoot.changes {
        for kind in layer.kinds { changeCounts[kind, default: 0] += 1 }
      }
      #expect(fromRoot.warnings.isEmpty, "\(entry.title): \(fromRoot.warnings)")
      let archive = try ArchiveCatalog(path: DataRootFixture.archive(of: entry.id))
      let fromArchive = try archive.openImage(at: 0)
      let differences = ModelSummary(fromRoot).differences(from: ModelSummary(fromArchive))
      let report = differences.prefix(20).joined(separator: "\n")
      #expect(differences.isEmpty, "\(entry.title):\n\(report)")
    }
    // The images hold additions, modifications and removals, so the comparison means something.
    #expect(ChangeKind.allCases.allSatisfy { changeCounts[$0, default: 0] > 0 })
  }

  @Test func `walking each layer's diff folder gives the same model as its tar-split`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    for (index, entry) in catalog.entries.enumerated() {
      let fromTarSplit = try catalog.openImage(at: index)
      let image = catalog.listed[index]
      let chain = try catalog.layerDB.chain(diffIDs: image.config.rootfs.diffIDs, image: image.id)
      let walked = chain.map {
        OverlayLayerSource(
          layerFolder: nil, root: catalog.layout.root, cacheID: $0.cacheID,
          name: $0.chainID)
      }
      let info = image.config.makeInfo(configDigest: image.id)
      let fromDiff = try ImageModel.build(info: info, sources: walked)
      var expected = ModelSummary(fromTarSplit)
      var actual = ModelSummary(fromDiff)
      // A diff folder cannot tell how many headers or PAX records the tar had.
      expected.layers = []
      actual.layers = []
      let differences = actual.differences(from: expected)
      let report = differences.prefix(20).joined(separator: "\n")
      #expect(differences.isEmpty, "\(entry.title):\n\(report)")
    }
  }
}
