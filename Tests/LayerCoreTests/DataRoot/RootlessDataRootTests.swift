import Foundation
import Testing

@testable import LayerCore

/// The data root a rootless dockerd made (`~/.local/share/docker` of the user that ran it,
/// overlay2 in naive-diff mode with `userxattr`), against what that dockerd said.
@Suite(.enabled(if: DataRootFixture.shouldRun))
struct RootlessDataRootTests {
  @Test func `every image is listed and reads as its docker save archive`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootCatalog.open(
      path: DataRootFixture.rootlessRoot, includeIntermediate: true)
    #expect(catalog.warnings.isEmpty)
    let inspected = try DataRootFixture.inspected("rootless/images.json")
    #expect(catalog.entries.count == inspected.count)
    for image in inspected {
      let id = try #require(image["Id"] as? String)
      let index = try #require(catalog.entries.firstIndex { $0.id == id }, "\(id) not listed")
      #expect(catalog.entries[index].names == (image["RepoTags"] as? [String] ?? []).sorted())
      #expect(catalog.entries[index].sizeBytes == (image["Size"] as? NSNumber)?.int64Value)
      let fromRoot = try catalog.openImage(at: index)
      #expect(fromRoot.warnings.isEmpty)
      let archive = try ArchiveCatalog(
        path: DataRootFixture.archive(of: id, in: "rootless/"))
      let differences = ModelSummary(fromRoot).differences(
        from: ModelSummary(try archive.openImage(at: 0)))
      #expect(differences.isEmpty, "\(id): \(differences.prefix(20).joined(separator: "\n"))")
    }
  }

  @Test func `a container's files and owners are what docker export wrote`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootCatalog.open(path: DataRootFixture.rootlessRoot)
    #expect(catalog.layout.owners != nil)
    let model = try catalog.openContainer("rootless")
    let exported = try DataRootFixture.exported("rootless/export-rootless.json")
    let differences = ExportComparison.differences(model, exported: exported)
    #expect(differences.isEmpty, "\(differences.prefix(20).joined(separator: "\n"))")
    let owners = Set(exported.values.compactMap { $0.count > 2 ? "\($0[1]):\($0[2])" : nil })
    #expect(owners.count > 2)

    let docker = try DataRootFixture.dockerDiff("rootless", in: "rootless/")
    let changes = Fixtures.changes(model, layer: model.layerCount - 1)
    #expect(!docker.isEmpty)
    for (path, letter) in docker where letter != "C" {
      #expect(changes["/" + path] == (letter == "A" ? "added" : "removed"), "\(path)")
    }
  }

  @Test func `each layer's diff folder gives the changes its tar-split gives`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootCatalog.open(
      path: DataRootFixture.rootlessRoot, includeIntermediate: true)
    for (index, image) in catalog.listed.enumerated() {
      let fromTarSplit = try catalog.openImage(at: index)
      let chain = try catalog.layerDB.chain(
        diffIDs: image.config.rootfs.diffIDs, image: image.id)
      let walked = chain.map {
        OverlayLayerSource(
          layerFolder: nil, root: catalog.layout.root, cacheID: $0.cacheID, name: $0.chainID,
          owners: catalog.layout.owners)
      }
      let fromDiff = try ImageModel.build(
        info: image.config.makeInfo(configDigest: image.id), sources: walked)
      // Naive-diff mode writes an opaque folder as one whiteout per lower child, so the
      // records differ from the tar's; what each layer changes does not.
      for layer in 0..<fromDiff.layerCount {
        #expect(
          Fixtures.changes(fromDiff, layer: layer) == Fixtures.changes(fromTarSplit, layer: layer),
          "\(Digest.short(image.id)) layer \(layer)")
      }
    }
  }

  @Test func `its owner reads it without sudo`() throws {
    guard DataRootFixture.require() else { return }
    var info = stat()
    #expect(stat(DataRootFixture.rootlessRoot, &info) == 0)
    #expect(info.st_uid != 0)
    let run = try BinaryRun.run(
      [DataRootFixture.rootlessRoot, "--list"], as: (info.st_uid, info.st_gid))
    #expect(run.status == 0, "\(run.errors)")
    #expect(run.text.contains("layerscope/rootless:1"))
    let container = try BinaryRun.run(
      [DataRootFixture.rootlessRoot, "--container", "rootless", "--json"],
      as: (info.st_uid, info.st_gid))
    #expect(container.status == 0, "\(container.errors)")
  }
}
