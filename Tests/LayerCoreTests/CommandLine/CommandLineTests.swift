import Foundation
import Testing

/// The real `layerscope` binary on the fixtures: `--json`, `--ci`, `--list`, usage and errors.
/// Expected figures come from the independent facts files and from dive's recorded output.
@Suite struct CommandLineTests {
  func run(_ arguments: [String], in directory: String? = nil) throws -> BinaryRun {
    try BinaryRun.run(arguments, in: directory)
  }

  @Test(arguments: [
    "docker-legacy.tar", "docker25.tar", "oci-gzip.tar", "oci-zstd.tar", "plain-layers.tar",
    "podman-archive.tar", "buildah-archive.tar", "docker-archive-skopeo.tar",
    "oci-multimember-gzip.tar", "oci-zstd-chunked.tar",
  ])
  func `--json gives each layer's size, entries and changes`(fixture: String) throws {
    let result = try run([Fixtures.path(fixture), "--json"])
    #expect(result.status == 0, "\(result.errors)")
    let document = try #require(
      try JSONSerialization.jsonObject(with: result.output) as? [String: Any])
    let layers = try #require(document["layers"] as? [[String: Any]])
    let facts = try Fixtures.expected(fixture)
    let expected = try #require(
      (facts["images"] as? [[String: Any]])?.first?["layers"]
        as? [[String: Any]])
    #expect(layers.count == expected.count)
    for (layer, fact) in zip(layers, expected) {
      #expect(layer["diffID"] as? String == fact["diffID"] as? String)
      #expect(layer["sizeBytes"] as? Int == fact["contentSize"] as? Int)
      #expect(layer["entryCount"] as? Int == fact["entryCount"] as? Int)
      var changes: [String: String] = [:]
      for change in layer["changes"] as? [[String: Any]] ?? [] {
        var path = change["path"] as? String ?? ""
        if let raw = change["pathBase64"] as? String, let bytes = Data(base64Encoded: raw) {
          path = Fixtures.display([UInt8](bytes))
        }
        changes[path] = change["change"] as? String
      }
      #expect(changes == Fixtures.expectedChanges(fact))
    }
    let efficiency = try #require(document["efficiency"] as? [String: Any])
    for key in ["score", "wastedBytes", "userWastedPercent", "reclaimableBytes"] {
      #expect(efficiency[key] != nil, "missing \(key)")
    }
  }

  @Test func `--ci prints dive's figures and fails the default rules like dive`() throws {
    let result = try run([Fixtures.path("buildah-archive.tar"), "--ci"])
    // dive exits 1 on this image: its user wasted percent is far over the default 10%.
    #expect(result.status == 1)
    #expect(result.text.contains("userWastedPercent: 445.4545 %"))
    #expect(result.text.contains("FAIL: highestUserWastedPercent"))
    #expect(result.text.contains("wastedBytes:       49 bytes"))
  }

  @Test func `rules come from .dive-ci, and flags override them`() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-ci-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try """
    rules:
      lowestEfficiency: 0.5
      highestWastedBytes: disabled
      highestUserWastedPercent: 5.0   # a ratio: 500%
    """.write(
      to: directory.appendingPathComponent(".dive-ci"), atomically: true,
      encoding: .utf8)
    let image = Fixtures.path("buildah-archive.tar")
    let passing = try run([image, "--ci"], in: directory.path)
    #expect(passing.status == 0, "\(passing.text)")
    let failing = try run([image, "--ci", "--highest-wasted-bytes", "10B"], in: directory.path)
    #expect(failing.status == 1)
    #expect(failing.text.contains("FAIL: highestWastedBytes"))
    let bad = try run([image, "--ci", "--lowest-efficiency", "lots"], in: directory.path)
    #expect(bad.status == 2)
  }

  @Test func `--ci and --json work together`() throws {
    let result = try run([Fixtures.path("buildah-archive.tar"), "--ci", "--json"])
    #expect(result.status == 1)
    #expect(try JSONSerialization.jsonObject(with: result.output) is [String: Any])
    #expect(result.errors.contains("FAIL: highestUserWastedPercent"))
  }

  @Test func `a usage error exits 64 and names the closest option`() throws {
    let result = try run([Fixtures.path("oci-gzip.tar"), "--jsno"])
    #expect(result.status == 64)
    #expect(result.errors.contains("did you mean '--json'?"))
  }

  @Test func `several images are listed, and an ambiguous choice says so`() throws {
    let list = try run([Fixtures.path("multi-image.tar"), "--list"])
    #expect(list.status == 0)
    for name in ["layerscope/app-a:1", "layerscope/app-b:1", "layerscope/base:1"] {
      #expect(list.text.contains(name))
    }
    let ambiguous = try run([Fixtures.path("multi-image.tar"), "--json"])
    #expect(ambiguous.status == 2)
    #expect(ambiguous.output.isEmpty)
    #expect(ambiguous.errors.contains("holds 3 images"))
  }

  @Test(arguments: [
    ("truncated.tar", "truncated.tar"), ("corrupt-gzip.tar", "layer 1"),
    ("corrupt-zstd.tar", "zstd"),
    ("bad-json.tar", "manifest.json"), ("missing-layer.tar", "layer.tar"),
    ("escape.tar", "../../etc/evil"), ("missing-blob.tar", "is missing"),
  ])
  func `bad input gives one line, exit 2 and no output`(fixture: String, mention: String) throws {
    let result = try run([Fixtures.path("bad/" + fixture), "--json"])
    #expect(result.status == 2)
    #expect(result.output.isEmpty)
    let lines = result.errors.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(result.errors.contains(mention))
  }

  @Test func `--verify catches damaged file data in a plain layer, also when gzipped whole`()
    throws
  {
    let plain = Fixtures.path("bad/corrupt-plain.tar")
    let unchecked = try run([plain, "--json", "/dev/null"])
    #expect(unchecked.status == 0)

    let zipped = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-corrupt-plain-\(getpid()).tar.gz").path
    defer { try? FileManager.default.removeItem(atPath: zipped) }
    let gzip = Process()
    gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
    gzip.arguments = ["-c", "gzip -c \"$0\" > \"$1\"", plain, zipped]
    try gzip.run()
    gzip.waitUntilExit()
    #expect(gzip.terminationStatus == 0)

    for source in [plain, zipped] {
      let result = try run([source, "--json", "--verify"])
      #expect(result.status == 2)
      #expect(result.output.isEmpty)
      #expect(result.errors.split(separator: "\n").count == 1)
      #expect(result.errors.contains("layer 1"))
      #expect(result.errors.contains("does not match its digest"))
    }
  }
}
