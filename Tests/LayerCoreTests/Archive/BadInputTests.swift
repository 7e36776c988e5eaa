import Foundation
import Testing

@testable import LayerCore

/// Broken archives give one clear error naming the file and, where it applies, the layer.
@Suite struct BadInputTests {
  func failure(_ fixture: String) -> (any Error)? {
    do {
      _ = try Fixtures.model("bad/" + fixture)
      return nil
    } catch {
      return error
    }
  }

  @Test func `a truncated archive is reported as corrupt`() throws {
    let error = try #require(failure("truncated.tar") as? ImageSourceError)
    guard case .corrupt(let file, _) = error else {
      Issue.record("unexpected \(error)")
      return
    }
    #expect(file.hasSuffix("truncated.tar"))
  }

  @Test func `malformed manifest and index JSON name the file`() throws {
    for (fixture, member) in [
      ("bad-json.tar", "manifest.json"), ("bad-index-json.tar", "index.json"),
    ] {
      let error = try #require(failure(fixture) as? ImageSourceError)
      guard case .malformedJSON(let file, _) = error else {
        Issue.record("unexpected \(error)")
        continue
      }
      #expect(file.hasSuffix(fixture + ":" + member))
    }
  }

  @Test func `a missing layer names the member`() throws {
    for fixture in ["missing-layer.tar", "missing-blob.tar"] {
      let error = try #require(failure(fixture) as? ImageSourceError)
      guard case .missingBlob(let name) = error else {
        Issue.record("unexpected \(error)")
        continue
      }
      #expect(name.contains(fixture + ":"))
    }
  }

  @Test(arguments: ["corrupt-gzip.tar", "corrupt-zstd.tar"])
  func `a corrupt compressed layer fails with the layer named`(fixture: String) throws {
    // The facts file found the stream broken (Python's gzip, the zstd command) and names the
    // largest layer blob, which the script damaged: the first layer of these images.
    let facts = try Fixtures.expected("bad/" + fixture)
    #expect(facts["error"] is String)
    let error = try #require(failure(fixture) as? LayerReadError)
    #expect(error.layerIndex == 0)
    #expect("\(error)".contains("layer 1"))
    #expect("\(error)".contains(fixture + ":blobs/sha256/"))
  }

  @Test func `corrupt data in a plain layer passes the header scan but fails verification`()
    throws
  {
    // The facts file hashed the damaged layer.tar itself and compared it with the config.
    let facts = try Fixtures.expected("bad/corrupt-plain.tar")
    let image = try #require((facts["images"] as? [[String: Any]])?.first)
    let layers = try #require(image["layers"] as? [[String: Any]])
    let damaged = try #require(layers.firstIndex { $0["diffIDMatchesConfig"] as? Bool == false })
    let found = try #require(layers[damaged]["blobDigest"] as? String)

    let model = try Fixtures.model("bad/corrupt-plain.tar")
    #expect(model.info.layers[damaged].entryCount == layers[damaged]["entryCount"] as? Int)

    let failure = try #require(
      failure(verifying: "corrupt-plain.tar") as? LayerReadError)
    #expect(failure.layerIndex == damaged)
    guard let inner = failure.underlying as? ImageSourceError,
      case .digestMismatch(_, let expected, let actual) = inner
    else {
      Issue.record("unexpected \(failure)")
      return
    }
    #expect(expected == model.info.layers[damaged].diffID)
    #expect(actual == found)
  }

  @Test func `verification passes on intact plain and compressed layers`() throws {
    for fixture in ["docker-legacy.tar", "docker25.tar", "plain-layers.tar", "oci-gzip.tar"] {
      let model = try BuildOptions.$verifyPlainLayers.withValue(true) {
        try Fixtures.model(fixture)
      }
      #expect(!model.info.layers.isEmpty, "\(fixture)")
    }
  }

  func failure(verifying fixture: String) -> (any Error)? {
    BuildOptions.$verifyPlainLayers.withValue(true) { failure(fixture) }
  }

  @Test func `an entry escaping the root is refused`() throws {
    let error = try #require(failure("escape.tar") as? LayerReadError)
    guard let inner = error.underlying as? ImageSourceError,
      case .pathEscapesRoot(let entry) = inner
    else {
      Issue.record("unexpected \(error)")
      return
    }
    #expect(entry.contains("../"))
  }

  @Test func `ignoring errors takes a missing layer as empty, with a warning`() throws {
    let model = try BuildOptions.$ignoreErrors.withValue(true) {
      try Fixtures.model("bad/missing-layer.tar")
    }
    #expect(model.warnings.count == 1)
    #expect(model.info.layers.contains { $0.entryCount == 0 })
  }

  @Test func `a file that is not an archive is named as such`() throws {
    let readme = Fixtures.path("README.md")
    #expect(throws: ImageSourceError.unrecognized(path: readme)) {
      _ = try ArchiveCatalog(path: readme)
    }
  }
}
