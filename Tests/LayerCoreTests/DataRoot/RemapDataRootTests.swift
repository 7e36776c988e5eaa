import Foundation
import Testing

@testable import LayerCore

/// The data root dockerd --userns-remap=default made: named by its parent folder, read with the
/// owners the containers see, against what that dockerd said.
@Suite(.enabled(if: DataRootFixture.shouldRun))
struct RemapDataRootTests {
  @Test func `the parent folder opens its one remap root with every image`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootCatalog.open(
      path: DataRootFixture.remapParent, includeIntermediate: true)
    let inspected = try DataRootFixture.inspected("remap/images.json")
    #expect(catalog.entries.count == inspected.count)
    for image in inspected {
      let id = try #require(image["Id"] as? String)
      let entry = try #require(catalog.entries.first { $0.id == id }, "\(id) not listed")
      #expect(entry.names == (image["RepoTags"] as? [String] ?? []).sorted())
      #expect(entry.sizeBytes == (image["Size"] as? NSNumber)?.int64Value)
    }
    #expect(catalog.layout.owners != nil)
    #expect(catalog.warnings.isEmpty)
  }

  @Test func `a container's owners are the ones the container sees`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootCatalog.open(path: DataRootFixture.remapParent)
    let model = try catalog.openContainer("remapped")
    let exported = try DataRootFixture.exported("remap/export-remapped.json")
    // dockerd 20.10 leaves the init layer's /etc/mtab symlink owned by host root, outside the
    // container's range: the container sees the overflow owner, and docker export skips it.
    let unmapped = try #require(model.tree.lookup(Array("etc/mtab".utf8)))
    let record = model.record(try #require(model.records(of: unmapped).first))
    #expect([record.uid, record.gid] == [OwnerMapping.overflowID, OwnerMapping.overflowID])
    #expect(exported["etc/mtab"] == nil)
    let differences = ExportComparison.differences(model, exported: exported)
    #expect(differences == ["'etc/mtab': not exported"])
    // The container changed owners to IDs other than root, so the shift was undone per ID.
    let owners = Set(exported.values.compactMap { $0.count > 2 ? "\($0[1]):\($0[2])" : nil })
    #expect(owners.count > 2)

    let docker = try DataRootFixture.dockerDiff("remapped", in: "remap/")
    let changes = Fixtures.changes(model, layer: model.layerCount - 1)
    for (path, letter) in docker where letter != "C" {
      #expect(changes["/" + path] == (letter == "A" ? "added" : "removed"), "\(path)")
    }
  }

  @Test func `a parent that holds a store of its own says where the remap root is`() throws {
    var synthetic = try SyntheticDataRoot()
    let diffID = SyntheticDataRoot.diffID("outer")
    try synthetic.addLayer(diffID: diffID, parent: nil, files: ["f a 1"])
    try synthetic.addImage(diffIDs: [diffID], tags: ["outer:1"])
    var inner = try SyntheticDataRoot()
    try inner.addLayer(diffID: diffID, parent: nil, files: ["f a 1"])
    try inner.addImage(diffIDs: [diffID], tags: ["inner:1"])
    try FileManager.default.moveItem(atPath: inner.path, toPath: synthetic.path + "/1000.1000")

    let outer = try DataRootCatalog.open(path: synthetic.path)
    #expect(outer.entries.map(\.names) == [["outer:1"]])
    #expect(outer.warnings.count == 1)
    #expect(outer.warnings.first?.contains("'\(synthetic.path)/1000.1000'") == true)
    let remapped = try DataRootCatalog.open(path: synthetic.path + "/1000.1000")
    #expect(remapped.entries.map(\.names) == [["inner:1"]])
    #expect(remapped.layout.owners == OwnerMapping(remapFolderName: "1000.1000"))
  }
}
