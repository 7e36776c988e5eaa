import Foundation
import Testing

@testable import LayerCore

/// The bbolt reader on the build cache database dockerd wrote, and on broken copies of it.
struct BoltFileTests {
  @Test func `bytes that are no bbolt file are refused`() {
    for bytes in [[UInt8](), [UInt8](repeating: 0, count: 8192), Array("not bolt".utf8)] {
      #expect(throws: BoltFile.Failure.self) { try BoltFile(bytes: bytes) }
    }
  }

  @Test(.enabled(if: DataRootFixture.shouldRun))
  func `the build cache's snapshots are its top-level buckets`() throws {
    guard DataRootFixture.require() else { return }
    let data = try Data(
      contentsOf: URL(fileURLWithPath: DataRootFixture.root + "/buildkit/snapshots.db"))
    let file = try BoltFile(bytes: [UInt8](data))
    let top = Set(file.entries.filter { $0.buckets.isEmpty }.map(\.key))
    // Every layer BuildKit built has its cache-id as a snapshot key (layerdb's own files).
    let layerDB = DataRootFixture.root + "/image/overlay2/layerdb/sha256"
    var built = 0
    for chain in try FileManager.default.contentsOfDirectory(atPath: layerDB) {
      let cacheID = try String(contentsOfFile: "\(layerDB)/\(chain)/cache-id", encoding: .utf8)
      guard !(cacheID.count == 64 && cacheID.allSatisfy(\.isHexDigit)) else { continue }
      #expect(top.contains(Array(cacheID.utf8)), "\(cacheID)")
      built += 1
    }
    #expect(built > 0)
  }

  @Test(.enabled(if: DataRootFixture.shouldRun))
  func `the byte search used when the tree cannot be walked keeps at least as much`() throws {
    guard DataRootFixture.require() else { return }
    for root in [DataRootFixture.root, DataRootFixture.folder + "/root-pruned"] {
      let catalog = try DataRootCatalog.open(path: root)
      let layers = try catalog.layerDB.chainIDs().map {
        (chainID: $0, cacheID: try catalog.layerDB.entry(chainID: $0).cacheID)
      }
      let bytes = [UInt8](
        try Data(contentsOf: URL(fileURLWithPath: root + "/buildkit/snapshots.db")))
      let live = BuildCacheReferences(databaseBytes: bytes).referenced(layers)
      let raw = BuildCacheReferences.search(bytes, for: layers)
      #expect(!live.isEmpty)
      #expect(live.isSubset(of: raw), "\(root)")
    }
  }

  @Test(.enabled(if: DataRootFixture.shouldRun))
  func `a truncated or damaged database never crashes the reader`() throws {
    guard DataRootFixture.require() else { return }
    let data = try Data(
      contentsOf: URL(fileURLWithPath: DataRootFixture.root + "/buildkit/snapshots.db"))
    let bytes = [UInt8](data)
    var refused = 0
    for length in stride(from: 0, to: bytes.count, by: 997) {
      if (try? BoltFile(bytes: Array(bytes.prefix(length)))) == nil { refused += 1 }
    }
    for offset in stride(from: 0, to: bytes.count, by: 37) {
      var damaged = bytes
      damaged[offset] ^= 0xFF
      _ = try? BoltFile(bytes: damaged)
      _ = BuildCacheReferences(databaseBytes: damaged).referenced([("sha256:00", "x")])
    }
    #expect(refused > 0)
  }
}
