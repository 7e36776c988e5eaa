import Foundation
import Testing

@testable import LayerCore

/// A small data root laid out like dockerd's, written by the test itself, for the cases a real
/// dockerd does not produce on demand: missing tar-split, bad configs, broken chains, symlinks.
///
/// Diff IDs are made up (nothing checks them against layer content), configs are real JSON whose
/// sha256 is their name, and chain IDs are computed as Docker computes them.
struct SyntheticDataRoot {
  let path: String
  private var repositories: [String: [String: String]] = [:]

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-dataroot-\(UUID().uuidString)").path
    for folder in [
      "image/overlay2/imagedb/content/sha256", "image/overlay2/layerdb/sha256",
      "image/overlay2/layerdb/mounts", "overlay2/l",
    ] {
      try FileManager.default.createDirectory(
        atPath: path + "/" + folder, withIntermediateDirectories: true)
    }
  }

  var store: String { path + "/image/overlay2" }

  /// Adds a layer whose `diff/` holds `files` (`d name`, `f name content`, `l name target`),
  /// without tar-split; returns its chain ID.
  @discardableResult
  func addLayer(
    diffID: String, parent: String?, files: [String], cacheID: String? = nil
  ) throws -> String {
    let chainID = parent.map { LayerDB.chainID(parent: $0, diffID: diffID) } ?? diffID
    let cache = cacheID ?? Digest.hex(Digest.sha256(Array(chainID.utf8)))
    let layer = store + "/layerdb/sha256/" + Digest.hex(chainID)
    try FileManager.default.createDirectory(atPath: layer, withIntermediateDirectories: true)
    try write(diffID, to: layer + "/diff")
    try write(cache, to: layer + "/cache-id")
    try write("0", to: layer + "/size")
    if let parent { try write(parent, to: layer + "/parent") }
    let diff = path + "/overlay2/" + cache + "/diff"
    try FileManager.default.createDirectory(atPath: diff, withIntermediateDirectories: true)
    for line in files {
      let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
      let target = diff + "/" + parts[1]
      switch parts[0] {
      case "d":
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
      case "f": try write(parts.count > 2 ? parts[2] : "", to: target)
      case "l":
        try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: parts[2])
      default: Issue.record("unknown entry '\(line)'")
      }
    }
    return chainID
  }

  /// Adds an image config over `diffIDs` and tags it; returns the image ID.
  @discardableResult
  mutating func addImage(
    diffIDs: [String], tags: [String], created: String = "2024-01-01T00:00:00Z"
  )
    throws -> String
  {
    let config: [String: Any] = [
      "architecture": "amd64", "os": "linux", "created": created,
      "rootfs": ["type": "layers", "diff_ids": diffIDs],
    ]
    let bytes = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
    let id = Digest.sha256(Array(bytes))
    try bytes.write(to: URL(fileURLWithPath: store + "/imagedb/content/sha256/" + Digest.hex(id)))
    for tag in tags {
      let repository = String(tag[..<(tag.lastIndex(of: ":") ?? tag.endIndex)])
      repositories[repository, default: [:]][tag] = id
    }
    let json = try JSONSerialization.data(withJSONObject: ["Repositories": repositories])
    try json.write(to: URL(fileURLWithPath: store + "/repositories.json"))
    return id
  }

  func write(_ text: String, to file: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
  }

  /// Runs Python for what Foundation cannot do (device nodes, extended attributes).
  static func python(_ code: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", code] + arguments
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }

  /// A made-up diff ID.
  static func diffID(_ seed: String) -> String { Digest.sha256(Array(seed.utf8)) }
}
