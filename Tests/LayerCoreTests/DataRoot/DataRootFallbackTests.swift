import Foundation
import Testing

@testable import LayerCore

/// tar-split files broken in the ways a crash or a bad disk breaks them, on a copy of the real
/// data root: each layer falls back to its diff folder, with a warning naming it, and the image
/// still reads as its docker save archive does.
@Suite(.enabled(if: DataRootFixture.shouldRun && getuid() == 0))
struct DataRootFallbackTests {
  /// A copy of the fixture's data root (`cp -a` keeps the whiteout devices and the overlay
  /// xattrs, which needs root), removed at the end.
  final class Copy {
    let path: String

    init() throws {
      path =
        FileManager.default.temporaryDirectory
        .appendingPathComponent("layerscope-copy-\(UUID().uuidString)").path
      try Self.shell("/bin/cp", ["-a", DataRootFixture.root, path])
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    static func shell(_ tool: String, _ arguments: [String]) throws {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: tool)
      process.arguments = arguments
      try process.run()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(tool) \(arguments)")
    }
  }

  /// The image with the most layers, whiteouts and an opaque folder among them.
  private func richest(_ catalog: DataRootCatalog) throws -> Int {
    try #require(
      catalog.entries.indices.max {
        catalog.entries[$0].layerCount < catalog.entries[$1].layerCount
      })
  }

  @Test func `broken tar-split files fall back to the diff folders`() throws {
    guard DataRootFixture.require() else { return }
    let copy = try Copy()
    let original = try DataRootCatalog.open(path: copy.path)
    let index = try richest(original)
    let image = original.listed[index]
    let chain = try original.layerDB.chain(diffIDs: image.config.rootfs.diffIDs, image: image.id)
    #expect(chain.count >= 5)
    let damage: [(String, (String) throws -> Void)] = [
      ("missing", { try FileManager.default.removeItem(atPath: $0) }),
      (
        "truncated gzip",
        { file in
          let data = try Data(contentsOf: URL(fileURLWithPath: file))
          try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: file))
        }
      ),
      ("not gzip", { try Data("not gzip at all\n".utf8).write(to: URL(fileURLWithPath: $0)) }),
      (
        "gzip of garbage",
        { file in
          try Data("{\"type\":9}\n".utf8).write(to: URL(fileURLWithPath: file))
          try Copy.shell("/bin/gzip", ["-n", "-f", file])
          try FileManager.default.moveItem(atPath: file + ".gz", toPath: file)
        }
      ),
      ("empty", { try Data().write(to: URL(fileURLWithPath: $0)) }),
    ]
    for (layer, (_, spoil)) in zip(chain, damage) {
      try spoil(
        copy.path + "/image/overlay2/layerdb/sha256/" + Digest.hex(layer.chainID)
          + "/tar-split.json.gz")
    }

    let model = try DataRootCatalog.open(path: copy.path).openImage(at: index)
    #expect(model.warnings.count == damage.count, "\(model.warnings)")
    for (position, layer) in chain.prefix(damage.count).enumerated() {
      #expect(
        model.warnings.contains {
          $0.hasPrefix("layer \(position + 1) '\(Digest.short(layer.chainID))'")
            && $0.contains("read its diff folder instead")
        })
    }
    try expectArchiveFigures(model, imageID: image.id)
  }

  /// Compares a model read from diff folders with the image's `docker save` archive, leaving
  /// out the per-layer header counts: a diff folder cannot tell how many headers or PAX records
  /// the tar had.
  private func expectArchiveFigures(_ model: ImageModel, imageID: String) throws {
    let archive = try ArchiveCatalog(path: DataRootFixture.archive(of: imageID))
    var expected = ModelSummary(try archive.openImage(at: 0))
    var actual = ModelSummary(model)
    expected.layers = []
    actual.layers = []
    let differences = actual.differences(from: expected)
    #expect(differences.isEmpty, "\(differences.prefix(20).joined(separator: "\n"))")
  }

  @Test func `files dockerd removes after the listing give one clear line`() throws {
    guard DataRootFixture.require() else { return }
    let copy = try Copy()
    let catalog = try DataRootCatalog.open(path: copy.path)
    let index = try richest(catalog)
    let image = catalog.listed[index]
    let chain = try catalog.layerDB.chain(diffIDs: image.config.rootfs.diffIDs, image: image.id)
    let layerDB = copy.path + "/image/overlay2/layerdb/sha256/"

    // dockerd first renames a layer's folder to `<chain>-<random>-removing`...
    let top = try #require(chain.last)
    try FileManager.default.moveItem(
      atPath: layerDB + Digest.hex(top.chainID),
      toPath: layerDB + Digest.hex(top.chainID) + "-0123456789ab-removing")
    try expectOneLine(catalog, index, mentioning: ["'\(top.chainID)'", "being removed"])

    // ...then deletes the layer's overlay2 folder: with no tar-split to fall back on either.
    let lower = chain[chain.count - 2]
    try FileManager.default.removeItem(
      atPath: layerDB + Digest.hex(lower.chainID) + "/tar-split.json.gz")
    try FileManager.default.removeItem(atPath: copy.path + "/overlay2/" + lower.cacheID)
    try FileManager.default.moveItem(
      atPath: layerDB + Digest.hex(top.chainID) + "-0123456789ab-removing",
      toPath: layerDB + Digest.hex(top.chainID))
    try expectOneLine(catalog, index, mentioning: [lower.cacheID, "disappeared", "try again"])
  }

  @Test func `a malformed layer file leaves out its images in one warning, not the tree`()
    throws
  {
    guard DataRootFixture.require() else { return }
    let copy = try Copy()
    let catalog = try DataRootCatalog.open(path: copy.path)
    let image = catalog.listed[try richest(catalog)]
    let base = try #require(image.config.rootfs.diffIDs.first)
    let layer = copy.path + "/image/overlay2/layerdb/sha256/" + Digest.hex(base)
    try Data("not a digest".utf8).write(to: URL(fileURLWithPath: layer + "/diff"))
    let users = catalog.allImages.filter { $0.config.rootfs.diffIDs.first == base }

    let list = try BinaryRun.run([copy.path, "--list"])
    #expect(list.status == 0)
    #expect(list.errorLines.count == 1, "\(list.errors)")
    #expect(list.errors.contains(layer + "/diff") && list.errors.contains("left out"))
    #expect(users.count < 2 || list.errors.contains("images "))
    let tree = try BinaryRun.run([copy.path, "--tree"])
    #expect(tree.status == 0, "\(tree.errors)")
    #expect(tree.text.contains("Layers left out, unreadable: 1\n"))
    #expect(tree.text.contains(layer + "/diff"))
  }

  private func expectOneLine(
    _ catalog: DataRootCatalog, _ index: Int, mentioning words: [String]
  ) throws {
    do {
      _ = try catalog.openImage(at: index)
      Issue.record("the image opened")
    } catch {
      let text = "\(error)"
      #expect(!text.contains("\n"))
      for word in words { #expect(text.contains(word), "\(text)") }
    }
  }

  @Test func `an opaque folder marked the rootless way reads the same`() throws {
    guard DataRootFixture.require() else { return }
    let copy = try Copy()
    let catalog = try DataRootCatalog.open(path: copy.path)
    // Every layer of every image whose diff folder holds an opaque folder: rename the attribute
    // to the one a daemon in a user namespace writes, and drop the layer's tar-split.
    var moved = 0
    for (index, image) in catalog.listed.enumerated() {
      let chain = try catalog.layerDB.chain(diffIDs: image.config.rootfs.diffIDs, image: image.id)
      var touched = false
      for layer in chain {
        let diff = copy.path + "/overlay2/" + layer.cacheID + "/diff"
        let folders = try opaqueFolders(in: diff)
        guard !folders.isEmpty else { continue }
        for folder in folders {
          try SyntheticDataRoot.python(
            "import os, sys; os.removexattr(sys.argv[1], 'trusted.overlay.opaque'); "
              + "os.setxattr(sys.argv[1], 'user.overlay.opaque', b'y')", [folder])
        }
        try FileManager.default.removeItem(
          atPath: copy.path + "/image/overlay2/layerdb/sha256/" + Digest.hex(layer.chainID)
            + "/tar-split.json.gz")
        moved += folders.count
        touched = true
      }
      guard touched else { continue }
      let model = try DataRootCatalog.open(path: copy.path).openImage(at: index)
      try expectArchiveFigures(model, imageID: image.id)
    }
    #expect(moved > 0)
  }

  /// Folders below `diff` with `trusted.overlay.opaque=y`.
  private func opaqueFolders(in diff: String) throws -> [String] {
    let output = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [
      "-c",
      """
      import os, sys
      for top, dirs, _ in os.walk(sys.argv[1]):
          for d in dirs:
              p = os.path.join(top, d)
              try:
                  if os.getxattr(p, 'trusted.overlay.opaque', follow_symlinks=False) == b'y':
                      print(p)
              except OSError:
                  pass
      """, diff,
    ]
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }
}
