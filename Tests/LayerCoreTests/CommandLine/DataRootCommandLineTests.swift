import Foundation
import Testing

@testable import LayerCore

/// The real binary on the real data root, as a user would call it, against what dockerd said
/// and against each image's own `docker save` archive.
@Suite(.enabled(if: DataRootFixture.shouldRun))
struct DataRootCommandLineTests {
  /// `docker images` (no -a): one object per name, untagged ones once.
  private func dockerImages() throws -> [[String: Any]] {
    try DataRootFixture.fact("images-top.jsonl").split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  private func inspected(_ id: String) throws -> [String: Any] {
    try #require(try DataRootFixture.inspectedImages().first { $0["Id"] as? String == id })
  }

  @Test func `--list prints every image docker images shows, all its names together`() throws {
    guard DataRootFixture.require() else { return }
    let run = try BinaryRun.run([DataRootFixture.root, "--list"])
    #expect(run.status == 0 && run.errors.isEmpty, "\(run.errors)")
    let lines = run.text.split(separator: "\n").dropFirst()
    let ids = Set(try dockerImages().compactMap { $0["ID"] as? String })
    var seen: Set<String> = []
    for (position, line) in lines.enumerated() where !line.hasPrefix("  ") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      let id = try #require(ids.first { Digest.short($0) == fields[1] }, "\(line)")
      seen.insert(id)
      let image = try inspected(id)
      let names =
        ((image["RepoTags"] as? [String] ?? [])
        + (image["RepoDigests"] as? [String]
          ?? []))
        .sorted()
      // The first name on the row, the others on the lines right below it.
      let following = lines.dropFirst(position + 1).prefix { $0.hasPrefix("  ") }
        .map { $0.trimmingCharacters(in: .whitespaces) }
      #expect(([fields[0]] + following) == (names.isEmpty ? ["<untagged>"] : names))
      let layers = (image["RootFS"] as? [String: Any])?["Layers"] as? [Any]
      #expect(fields[3] == "\(layers?.count ?? -1)")
      let size = (image["Size"] as? NSNumber)?.int64Value ?? -1
      #expect(fields[4] + " " + fields[5] == ByteCount.format(size))
      let created = (image["Created"] as? String ?? "").prefix(16)
      #expect(fields[6] + "T" + fields[7] == created)
    }
    #expect(seen == ids)
  }

  @Test func `--list --json gives each image's names, ID, size, layers and creation time`()
    throws
  {
    guard DataRootFixture.require() else { return }
    let run = try BinaryRun.run([DataRootFixture.root, "--list", "--json"])
    #expect(run.status == 0)
    let images = try #require(try run.json()["images"] as? [[String: Any]])
    let ids = Set(try dockerImages().compactMap { $0["ID"] as? String })
    #expect(Set(images.compactMap { $0["id"] as? String }) == ids)
    for listed in images {
      let image = try inspected(try #require(listed["id"] as? String))
      let names =
        (image["RepoTags"] as? [String] ?? [])
        + (image["RepoDigests"] as? [String]
          ?? [])
      #expect(listed["names"] as? [String] == names.sorted())
      #expect((listed["sizeBytes"] as? NSNumber) == (image["Size"] as? NSNumber))
      #expect(listed["created"] as? String == image["Created"] as? String)
      let layers = (image["RootFS"] as? [String: Any])?["Layers"] as? [Any]
      #expect(listed["layerCount"] as? Int == layers?.count)
    }
  }

  /// The JSON report without the names the image is known by (the archives were saved by ID).
  private func report(_ run: BinaryRun) throws -> NSDictionary {
    var document = try run.json()
    var image = try #require(document["image"] as? [String: Any])
    image["reference"] = nil
    image["tags"] = nil
    document["image"] = image
    return document as NSDictionary
  }

  @Test func `each image by ID prefix gives the JSON of its own docker save archive`() throws {
    guard DataRootFixture.require() else { return }
    let inspectedImages = try DataRootFixture.inspectedImages()
    #expect(inspectedImages.count >= 10)
    for image in inspectedImages {
      let id = try #require(image["Id"] as? String)
      // Intermediate images too: docker image inspect takes their IDs, and so does layerscope.
      let fromRoot = try BinaryRun.run(
        [DataRootFixture.root, String(Digest.hex(id).prefix(12)), "--json"])
      #expect(fromRoot.status == 0, "\(id): \(fromRoot.errors)")
      let fromArchive = try BinaryRun.run([DataRootFixture.archive(of: id), "--json"])
      #expect(fromArchive.status == 0)
      #expect(try report(fromRoot) == report(fromArchive), "\(id)")
    }
  }

  @Test func `a tag opens its image, and --ci judges it as its archive`() throws {
    guard DataRootFixture.require() else { return }
    let image = try #require(
      try DataRootFixture.inspectedImages().first {
        ($0["RepoTags"] as? [String])?.count ?? 0 > 1
      })
    let id = try #require(image["Id"] as? String)
    let tags = try #require(image["RepoTags"] as? [String])
    for tag in tags {
      let byTag = try BinaryRun.run([DataRootFixture.root, tag, "--json"])
      #expect(byTag.status == 0, "\(tag): \(byTag.errors)")
      let document = try byTag.json()
      #expect((document["image"] as? [String: Any])?["configDigest"] as? String == id)
      // The image goes by the tag asked for.
      #expect((document["image"] as? [String: Any])?["reference"] as? String == tag)
      #expect(
        ((document["image"] as? [String: Any])?["tags"] as? [String])?.sorted()
          == tags.sorted())
    }
    let fromRoot = try BinaryRun.run([DataRootFixture.root, tags[0], "--ci"])
    let fromArchive = try BinaryRun.run([DataRootFixture.archive(of: id), "--ci"])
    #expect(fromRoot.status == fromArchive.status)
    // Everything but the first line, which names the image.
    #expect(
      fromRoot.text.split(separator: "\n").dropFirst()
        == fromArchive.text.split(separator: "\n").dropFirst())
    #expect(fromRoot.text.contains("result: "))
    #expect(fromRoot.text.hasPrefix("image: \(tags[0])\n"))
  }

  @Test func `--tree shows what docker rmi -f freed for each image`() throws {
    guard DataRootFixture.require() else { return }
    let run = try BinaryRun.run([DataRootFixture.root, "--tree"])
    #expect(run.status == 0, "\(run.errors)")
    let lines = run.text.split(separator: "\n")
    #expect(lines.allSatisfy { $0.count <= 100 })
    let section = lines.drop { !$0.hasPrefix("What 'docker rmi -f'") }.dropFirst()
    for image in try DataRootFixture.inspectedImages() {
      let id = try #require(image["Id"] as? String)
      let names = (image["RepoTags"] as? [String] ?? []).sorted()
      let title = names.first ?? Digest.short(id)
      let line = try #require(section.first { $0.hasPrefix("  " + title + " ") }, "\(title)")
      let freed = try DataRootFixture.removal(of: id).freed
      let bytes = try freed.reduce(Int64(0)) { sum, hex in
        let size = try String(
          contentsOfFile: DataRootFixture.root + "/image/overlay2/layerdb/sha256/\(hex)/size",
          encoding: .utf8)
        return sum + (Int64(size) ?? -1)
      }
      // `  <title> [(+N names)]  <bytes>[  (+<bytes> after 'docker builder prune')]`
      let main = String(line).components(separatedBy: "  (+").first ?? ""
      let figure = main.split(separator: " ").suffix(2).joined(separator: " ")
      #expect(figure == ByteCount.format(bytes), "\(line)")
    }
  }

  @Test func `--container lists what docker diff lists`() throws {
    guard DataRootFixture.require() else { return }
    let run = try BinaryRun.run([DataRootFixture.root, "--container", "changed", "--json"])
    #expect(run.status == 0, "\(run.errors)")
    let layers = try #require(try run.json()["layers"] as? [[String: Any]])
    var changes: [String: String] = [:]
    for change in layers.last?["changes"] as? [[String: Any]] ?? [] {
      changes[change["path"] as? String ?? ""] = change["change"] as? String
    }
    let docker = try DataRootFixture.dockerDiff("changed")
    #expect(!docker.isEmpty)
    for (path, letter) in docker where letter != "C" {
      #expect(changes["/" + path] == (letter == "A" ? "added" : "removed"), "\(path)")
    }
    for (path, change) in changes where change == "added" {
      #expect(docker[String(path.dropFirst())] == "A", "\(path)")
    }
  }

  @Test func `a data root with no image lists nothing and says so when asked for one`() throws {
    guard DataRootFixture.require() else { return }
    let empty = DataRootFixture.folder + "/empty"
    let list = try BinaryRun.run([empty, "--list", "--json"])
    #expect(list.status == 0, "\(list.errors)")
    #expect((try list.json()["images"] as? [Any])?.isEmpty == true)
    let tree = try BinaryRun.run([empty, "--tree"])
    #expect(tree.status == 0, "\(tree.errors)")
    #expect(tree.text.contains(": 0 layers"))
    for arguments in [["anything:1", "--json"], []] {
      let open = try BinaryRun.run([empty] + arguments)
      #expect(open.status == 2 && open.output.isEmpty)
      #expect(
        open.errorLines.count == 1 && open.errors.contains("holds no image"), "\(open.errors)")
    }
  }

  @Test func `--container alone opens the interactive view, which needs a terminal`() throws {
    guard DataRootFixture.require() else { return }
    // Standard input is not a terminal here: the view must say so, not exit 0 having shown
    // nothing.
    let run = try BinaryRun.run([DataRootFixture.root, "--container", "changed"])
    #expect(run.status == 2)
    #expect(run.errorLines.count == 1 && run.errors.contains("not a terminal"), "\(run.errors)")
  }

  @Test(.enabled(if: getuid() == 0))
  func `without permission one line says to use sudo`() throws {
    guard DataRootFixture.require() else { return }
    for arguments in [["--list"], ["--tree"], ["--container", "changed"], []] {
      let run = try BinaryRun.run([DataRootFixture.root] + arguments, asNobody: true)
      #expect(run.status == 2)
      #expect(run.output.isEmpty)
      #expect(run.errorLines.count == 1 && run.errors.contains("sudo"), "\(run.errors)")
    }
  }

  @Test func `a name that matches nothing gives one line`() throws {
    guard DataRootFixture.require() else { return }
    for (arguments, named) in [
      (["no-such/image:1", "--json"], "'no-such/image:1'"),
      (["--container", "nope", "--json"], "'nope'"), (["0123456789ab", "--ci"], "'0123456789ab'"),
    ] {
      let run = try BinaryRun.run([DataRootFixture.root] + arguments)
      #expect(run.status == 2)
      #expect(run.output.isEmpty)
      #expect(run.errorLines.count == 1)
      #expect(run.errors.contains(named), "\(run.errors)")
    }
  }

  @Test func `--verify on a data root says it checks nothing there, and reads the image`()
    throws
  {
    guard DataRootFixture.require() else { return }
    let plain = try BinaryRun.run([DataRootFixture.root, "--list"])
    let verified = try BinaryRun.run([DataRootFixture.root, "--list", "--verify"])
    #expect(verified.status == 0)
    #expect(verified.output == plain.output)
    #expect(verified.errorLines.count == plain.errorLines.count + 1)
    #expect(verified.errors.contains("--verify checks archive layers"))
  }
}

/// Folders that are not readable data roots, through the real binary: one line naming what was
/// found and where, exit status 2, nothing on standard output.
struct DataRootRefusalCommandLineTests {
  /// A new folder under the temporary directory, with `folders` made inside.
  private func folder(_ folders: [String]) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-cli-\(UUID().uuidString)").path
    for name in [""] + folders {
      try FileManager.default.createDirectory(
        atPath: path + "/" + name, withIntermediateDirectories: true)
    }
    return path
  }

  private func expectOneLine(_ run: BinaryRun, mentioning words: [String]) {
    #expect(run.status == 2)
    #expect(run.output.isEmpty)
    #expect(run.errorLines.count == 1, "\(run.errors)")
    for word in words { #expect(run.errors.contains(word), "\(run.errors)") }
  }

  @Test func `a Docker 29 data root keeping its images in containerd is named as such`() throws {
    let root = try folder(["containers", "volumes", "rootfs", "network", "containerd/daemon"])
    for arguments in [["--list"], ["--tree"], ["some:tag", "--json"]] {
      let run = try BinaryRun.run([root] + arguments)
      expectOneLine(run, mentioning: [root, "containerd", "'containers'", "docker save"])
    }
  }

  @Test func `a folder that is no data root, and one that does not exist`() throws {
    let empty = try folder(["stuff"])
    expectOneLine(try BinaryRun.run([empty, "--list"]), mentioning: [empty, "image/overlay2"])
    let vfs = try folder(["image/vfs/imagedb"])
    expectOneLine(try BinaryRun.run([vfs, "--list"]), mentioning: [vfs, "'vfs'", "overlay2"])
    let missing = empty + "/docker"
    expectOneLine(try BinaryRun.run([missing, "--tree"]), mentioning: ["'\(missing)'"])
  }

  @Test(.enabled(if: getuid() == 0))
  func `an image store only root may read says to use sudo`() throws {
    // The data root itself is readable by all, as a custom --data-root may be; image/ is not.
    let root = try folder(["image/overlay2/imagedb", "containers", "volumes"])
    #expect(chmod(root, 0o755) == 0 && chmod(root + "/image", 0o700) == 0)
    let run = try BinaryRun.run([root, "--list"], asNobody: true)
    expectOneLine(run, mentioning: ["'\(root)/image/overlay2'", "sudo"])
  }
}
