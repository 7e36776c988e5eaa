import LayerCore

/// One layer of a test image, written as its entries; it feeds the real model builder.
struct MemoryLayer: LayerSource {
  let entries: LayerScan

  func scan() throws -> LayerScan { entries }
  func fingerprints(of paths: Set<[UInt8]>) throws -> [[UInt8]: [UInt8]] { [:] }
}

/// Entries of one test layer.
struct LayerSpec {
  var command: String
  var scan = LayerScan()

  init(_ command: String) {
    self.command = command
  }

  func dir(_ path: String, mode: UInt32 = 0o755) -> LayerSpec {
    adding(Array(path.utf8), .directory, mode: mode, size: 0)
  }

  func file(_ path: String, size: Int64, mode: UInt32 = 0o644, uid: UInt32 = 0) -> LayerSpec {
    adding(Array(path.utf8), .regular, mode: mode, size: size, uid: uid)
  }

  func file(bytes path: [UInt8], size: Int64) -> LayerSpec {
    adding(path, .regular, mode: 0o644, size: size)
  }

  func symlink(_ path: String, to target: String) -> LayerSpec {
    adding(Array(path.utf8), .symlink, mode: 0o777, size: 0, link: Array(target.utf8))
  }

  func whiteout(_ path: String) -> LayerSpec {
    adding(Array(path.utf8), .whiteout, mode: 0, size: 0)
  }

  private func adding(
    _ path: [UInt8], _ kind: EntryKind, mode: UInt32, size: Int64, uid: UInt32 = 0,
    link: [UInt8] = []
  ) -> LayerSpec {
    var copy = self
    copy.scan.append(path: path, kind: kind, mode: mode, uid: uid, gid: uid, size: size, link: link)
    copy.scan.contentSize += size
    copy.scan.entryCount += 1
    return copy
  }
}

/// Builds real image models from layer specs.
enum TestImage {
  static func make(_ layers: [LayerSpec], name: String = "example/app:1") throws -> ImageModel {
    var infos: [LayerInfo] = []
    var history: [HistoryEntry] = []
    for (index, layer) in layers.enumerated() {
      let hex = String(repeating: String(index), count: 64)
      var info = LayerInfo(index: index, diffID: "sha256:" + hex)
      info.blobDigest = "sha256:" + String(hex.reversed())
      let step = HistoryEntry(
        created: "2024-0\(index + 1)-02T03:04:05.678Z", createdBy: layer.command,
        comment: index == 0 ? "base layer" : nil, layerIndex: index)
      info.history = step
      infos.append(info)
      history.append(step)
    }
    var info = ImageInfo(
      configDigest: "sha256:" + String(repeating: "c", count: 64),
      layers: infos, history: history)
    info.reference = name
    info.tags = [name]
    return try ImageModel.build(info: info, sources: layers.map { MemoryLayer(entries: $0.scan) })
  }

  /// A three-layer image: a base, an install that adds, changes and removes files (with odd
  /// names), and a cleanup that removes what the install added.
  static func example() throws -> ImageModel {
    let base = LayerSpec("/bin/sh -c #(nop) ADD file:1234abcd in / ")
      .dir("bin").file("bin/sh", size: 120_000, mode: 0o755)
      .dir("etc").file("etc/passwd", size: 512).file("etc/motd", size: 64)
      .dir("usr").dir("usr/lib").file("usr/lib/libc.so.6", size: 2_000_000, mode: 0o755)
      .symlink("lib", to: "usr/lib")
    let install = LayerSpec("/bin/sh -c apt-get update && apt-get install -y foo \u{1b}[31m")
      .file("usr/lib/libfoo.so", size: 300_000, mode: 0o755)
      .file("etc/passwd", size: 600)
      .whiteout("etc/motd")
      .dir("srv")
      .file("srv/bad\u{1b}]0;pwned\u{7}name", size: 10)
      .file("srv/日本語.txt", size: 20)
      .file("srv/cafe\u{301}.txt", size: 30)
      .file(bytes: Array("srv/raw-".utf8) + [0xFF], size: 40)
      .file("srv/data.bin", size: 1_500_000, uid: 1000)
    let cleanup = LayerSpec("/bin/sh -c rm -rf /usr/lib/libfoo.so /srv/data.bin")
      .whiteout("usr/lib/libfoo.so").whiteout("srv/data.bin")
      .dir("tmp", mode: 0o1777)
    return try make([base, install, cleanup])
  }
}

/// A catalog over models built in the test.
struct TestCatalog: ImageCatalog {
  var sourcePath = "test-images.tar"
  var models: [ImageModel]
  var names: [String]
  /// What ``ancestry()`` answers, as a data root would.
  var layerAncestry: LayerAncestry?

  init(_ models: [ImageModel], names: [String]) {
    self.models = models
    self.names = names
  }

  /// More names of the image at an index, after its name in `names`.
  var otherNames: [Int: [String]] = [:]
  /// Platforms by index, where one differs from linux/amd64.
  var platforms: [Int: String] = [:]

  var entries: [CatalogEntry] {
    zip(models, names).enumerated().map { index, pair in
      CatalogEntry(
        names: [pair.1] + (otherNames[index] ?? []), id: pair.0.info.configDigest,
        created: "2024-05-06T07:08:09Z", sizeBytes: pair.0.info.totalSize,
        layerCount: pair.0.layerCount, platform: platforms[index] ?? "linux/amd64")
    }
  }

  func openImage(at index: Int) throws -> ImageModel { models[index] }

  func ancestry() throws -> LayerAncestry? { layerAncestry }
  var hasLayerAncestry: Bool { layerAncestry != nil }
}
