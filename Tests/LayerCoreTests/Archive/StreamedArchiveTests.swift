import Foundation
import Testing

@testable import LayerCore

/// Whole archives compressed after the fact (`docker save | gzip`), read as streams.
@Suite struct StreamedArchiveTests {
  /// Compresses a fixture with the real `gzip` or `zstd` into a temporary file.
  func compressed(_ fixture: String, with tool: String) throws -> String {
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-\(UUID().uuidString)-\(fixture).\(tool)").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "\(tool) -c < \"$0\" > \"$1\"", Fixtures.path(fixture), output]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return output
  }

  func model(_ path: String, _ reference: String? = nil) throws -> ImageModel {
    let catalog = try ArchiveCatalog(path: path)
    return try catalog.openImage(
      at: try ImageSelector.select(in: catalog, request: reference, platform: nil))
  }

  @Test(arguments: [
    ("docker-legacy.tar", "gzip"), ("oci-gzip.tar", "zstd"),
    ("podman-archive.tar", "gzip"),
  ])
  func `a compressed archive reads like the plain one`(fixture: String, tool: String) throws {
    let plain = try Fixtures.model(fixture)
    let streamed = try model(try compressed(fixture, with: tool))
    #expect(streamed.info.layers.map(\.diffID) == plain.info.layers.map(\.diffID))
    #expect(streamed.info.layers.map(\.contentSize) == plain.info.layers.map(\.contentSize))
    for layer in 0..<plain.layerCount {
      #expect(Fixtures.changes(streamed, layer: layer) == Fixtures.changes(plain, layer: layer))
    }
    #expect(streamed.efficiency.wastedBytes == plain.efficiency.wastedBytes)
  }

  @Test func `images of a compressed multi-image archive are listed and opened`() throws {
    let path = try compressed("multi-image.tar", with: "gzip")
    let catalog = try ArchiveCatalog(path: path)
    #expect(catalog.entries.count == 3)
    let app = try model(path, "layerscope/app-b:1")
    #expect(app.layerCount == 2)
  }

  @Test func `a truncated compressed archive is reported as corrupt`() throws {
    let path = try compressed("docker-legacy.tar", with: "gzip")
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
    #expect {
      _ = try model(path)
    } throws: { error in
      guard case .corrupt = error as? ImageSourceError else { return false }
      return true
    }
  }
}
