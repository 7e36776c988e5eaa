import Foundation
import Testing

@testable import LayerCore

/// What the reader does with data roots that are not what it expects: each case gives one clear
/// error or warning, never a crash, and never a read outside the data root.
struct DataRootSafetyTests {
  private static let isRoot = getuid() == 0

  @Test func `a Docker 29 data root with the containerd store is named as such`() throws {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-dataroot-\(UUID().uuidString)").path
    for folder in ["containers", "volumes", "containerd/daemon", "rootfs"] {
      try FileManager.default.createDirectory(
        atPath: root + "/" + folder, withIntermediateDirectories: true)
    }
    #expect {
      try DataRootCatalog.open(path: root)
    } throws: { error in
      guard case .containerdImageStore = error as? DataRootError else { return false }
      let text = "\(error)"
      return text.contains("containerd") && text.contains("docker save")
        && !text.contains("\n")
    }
  }

  @Test func `other folders and drivers are refused with their reason`() throws {
    let empty = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-empty-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    #expect(throws: DataRootError.notADataRoot(path: empty)) {
      try DataRootCatalog.open(path: empty)
    }
    #expect(throws: DataRootError.notFound(path: empty + "/nope")) {
      try DataRootCatalog.open(path: empty + "/nope")
    }
    try FileManager.default.createDirectory(
      atPath: empty + "/image/vfs", withIntermediateDirectories: true)
    #expect(throws: DataRootError.unsupportedDriver(path: empty, driver: "vfs")) {
      try DataRootCatalog.open(path: empty)
    }
  }

  @Test func `permission errors say to use sudo`() {
    let error = DataRootFolder.error(EACCES, path: "/var/lib/docker")
    #expect(error == .permissionDenied(path: "/var/lib/docker"))
    #expect("\(error)".contains("sudo"))
  }

  @Test func `a userns-remap root is found inside the folder named`() throws {
    var synthetic = try SyntheticDataRoot()
    let diffID = SyntheticDataRoot.diffID("remap")
    try synthetic.addLayer(diffID: diffID, parent: nil, files: ["f hello hi"])
    try synthetic.addImage(diffIDs: [diffID], tags: ["remapped:1"])
    let outer = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-remap-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: outer, withIntermediateDirectories: true)
    try FileManager.default.moveItem(atPath: synthetic.path, toPath: outer + "/100000.100000")
    let catalog = try DataRootCatalog.open(path: outer)
    #expect(catalog.entries.map(\.names) == [["remapped:1"]])
  }

  @Test func `without tar-split the diff folder is walked, with a warning`() throws {
    var synthetic = try SyntheticDataRoot()
    let base = SyntheticDataRoot.diffID("base")
    let top = SyntheticDataRoot.diffID("top")
    let baseChain = try synthetic.addLayer(
      diffID: base, parent: nil,
      files: [
        "d etc", "f etc/motd hello", "d var/cache", "f var/cache/a 1", "f var/cache/b 2",
        "f gone.txt x", "l lib usr/lib",
      ])
    let topChain = try synthetic.addLayer(
      diffID: top, parent: baseChain,
      files: ["d etc", "d var/cache", "f var/cache/c 3", "f etc/motd HELLO"])
    try synthetic.addImage(diffIDs: [base, top], tags: ["walked:1"])
    if Self.isRoot {
      let cache = try String(
        contentsOfFile: synthetic.store + "/layerdb/sha256/"
          + Digest.hex(topChain) + "/cache-id", encoding: .utf8)
      let diff = synthetic.path + "/overlay2/" + cache + "/diff"
      try SyntheticDataRoot.python(
        "import os, sys; os.mknod(sys.argv[1] + '/gone.txt', 0o20000 | 0o600, 0); "
          + "os.setxattr(sys.argv[1] + '/var/cache', 'trusted.overlay.opaque', b'y')", [diff])
    }
    let catalog = try DataRootCatalog.open(path: synthetic.path)
    let model = try catalog.openImage(at: 0)
    #expect(model.warnings.count == 2)
    #expect(model.warnings.allSatisfy { $0.contains("tar-split.json.gz is missing") })
    let changes = Fixtures.changes(model, layer: 1)
    #expect(changes["/var/cache/c"] == "added")
    #expect(changes["/etc/motd"] == "modified")
    if Self.isRoot {
      #expect(changes["/gone.txt"] == "removed")
      #expect(changes["/var/cache/a"] == "removed")
      #expect(changes["/var/cache/b"] == "removed")
    }
    let link = try #require(model.tree.lookup(Array("lib".utf8)))
    #expect(
      model.record(try #require(model.records(of: link).first)).linkTarget
        == Array("usr/lib".utf8))
  }

  @Test func `a diff folder that is a symlink out of the data root is refused`() throws {
    var synthetic = try SyntheticDataRoot()
    let diffID = SyntheticDataRoot.diffID("escape")
    let chain = try synthetic.addLayer(diffID: diffID, parent: nil, files: [], cacheID: "evil")
    try FileManager.default.removeItem(atPath: synthetic.path + "/overlay2/evil/diff")
    try FileManager.default.createSymbolicLink(
      atPath: synthetic.path + "/overlay2/evil/diff", withDestinationPath: "/etc")
    try synthetic.addImage(diffIDs: [diffID], tags: ["escape:1"])
    let catalog = try DataRootCatalog.open(path: synthetic.path)
    #expect {
      try catalog.openImage(at: 0)
    } throws: { error in
      guard let failure = error as? LayerReadError,
        case .unsafePath = failure.underlying as? DataRootError
      else { return false }
      return true
    }
    _ = chain

    // A symlink earlier on the path is refused the same way.
    let outside = synthetic.path + "-outside"
    try FileManager.default.createDirectory(
      atPath: outside + "/diff", withIntermediateDirectories: true)
    try FileManager.default.removeItem(atPath: synthetic.path + "/overlay2/evil")
    try FileManager.default.createSymbolicLink(
      atPath: synthetic.path + "/overlay2/evil", withDestinationPath: outside)
    #expect(throws: LayerReadError.self) { try catalog.openImage(at: 0) }
  }

  @Test func `images with a bad config or a broken chain are left out with a warning`() throws {
    var synthetic = try SyntheticDataRoot()
    let good = SyntheticDataRoot.diffID("good")
    try synthetic.addLayer(diffID: good, parent: nil, files: ["f a 1"])
    try synthetic.addImage(diffIDs: [good], tags: ["good:1"])
    let missing = try synthetic.addImage(
      diffIDs: [good, SyntheticDataRoot.diffID("absent")], tags: ["missing:1"])
    let tampered = try synthetic.addImage(
      diffIDs: [good], tags: ["tampered:1"],
      created: "2025-01-01T00:00:00Z")
    try synthetic.write(
      #"{"rootfs":{"type":"layers","diff_ids":[]}}"#,
      to: synthetic.store + "/imagedb/content/sha256/" + Digest.hex(tampered))
    let catalog = try DataRootCatalog.open(path: synthetic.path)
    #expect(catalog.entries.map(\.names) == [["good:1"]])
    #expect(catalog.warnings.count == 2)
    #expect(
      catalog.warnings.contains { $0.contains(Digest.short(missing)) && $0.contains("layerdb") })
    #expect(catalog.warnings.contains { $0.contains("does not match its name") })
  }

  @Test func `a layer removed after listing gives a clear error`() throws {
    var synthetic = try SyntheticDataRoot()
    let diffID = SyntheticDataRoot.diffID("short-lived")
    let chain = try synthetic.addLayer(diffID: diffID, parent: nil, files: ["f a 1"])
    try synthetic.addImage(diffIDs: [diffID], tags: ["gone:1"])
    let catalog = try DataRootCatalog.open(path: synthetic.path)
    try FileManager.default.removeItem(
      atPath: synthetic.store + "/layerdb/sha256/" + Digest.hex(chain))
    #expect(throws: DataRootError.missingLayer(chainID: chain, image: catalog.entries[0].id)) {
      try catalog.openImage(at: 0)
    }
  }

  @Test(.enabled(if: isRoot)) func `reading leaves access times alone`() throws {
    var synthetic = try SyntheticDataRoot()
    let diffID = SyntheticDataRoot.diffID("atime")
    try synthetic.addLayer(diffID: diffID, parent: nil, files: ["f data content"])
    let id = try synthetic.addImage(diffIDs: [diffID], tags: ["atime:1"])
    let config = synthetic.store + "/imagedb/content/sha256/" + Digest.hex(id)
    // With relatime, a first read after a write updates atime unless O_NOATIME is used.
    let before = try accessTime(config)
    let catalog = try DataRootCatalog.open(path: synthetic.path)
    _ = try catalog.openImage(at: 0)
    #expect(try accessTime(config) == before)
  }

  /// Seconds and nanoseconds of the file's access time.
  private func accessTime(_ path: String) throws -> [Int] {
    var info = stat()
    #expect(stat(path, &info) == 0)
    return [info.st_atim.tv_sec, info.st_atim.tv_nsec]
  }
}
