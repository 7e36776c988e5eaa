import Foundation
import Testing

@testable import LayerCore

/// The real data root that `Tests/dataroot/make-data-root.sh` builds with dockerd 20.10, with
/// the `docker save` archives and the facts dockerd reported next to it.
///
/// Found through `LAYERSCOPE_DATA_ROOT_FIXTURE`, else at the script's default folder. When it is
/// missing, the tests that need it are skipped locally, but fail under `CI=true` or when
/// `LAYERSCOPE_DATA_ROOT_FIXTURE` names it (as scripts/test.sh does): a run that was meant to
/// read a real data root must not pass without having read one.
enum DataRootFixture {
  static let named = ProcessInfo.processInfo.environment["LAYERSCOPE_DATA_ROOT_FIXTURE"]

  static let folder: String = named ?? "/tmp/layerscope-dataroot"

  static var root: String { folder + "/root" }

  /// The folder dockerd --userns-remap=default was given: it holds `<uid>.<gid>/`.
  static var remapParent: String { folder + "/remap" }

  /// The rootless dockerd's data root: `~/.local/share/docker` of the user that ran it.
  static var rootlessRoot: String { folder + "/rootless-home/.local/share/docker" }

  static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  static var isPresent: Bool {
    FileManager.default.fileExists(atPath: folder + "/facts/images.json")
  }

  /// Whether the fixture tests run: when the fixture exists, and whenever it was asked for (to
  /// fail there when it is missing).
  static var shouldRun: Bool { isPresent || isCI || named != nil }

  /// Records a failure when the fixture is missing (the suite only runs then in CI or when the
  /// fixture was named); true when tests can go on.
  static func require(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    if isPresent { return true }
    Issue.record(
      """
      no data root fixture at '\(folder)': run Tests/dataroot/make-data-root.sh (as root) \
      and set LAYERSCOPE_DATA_ROOT_FIXTURE
      """, sourceLocation: sourceLocation)
    return false
  }

  /// `docker image inspect` of every image.
  static func inspectedImages() throws -> [[String: Any]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/facts/images.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
  }

  /// A fact file the current script writes; a fixture made by an older script fails the test.
  static func fact(_ relative: String) throws -> String {
    let path = folder + "/facts/" + relative
    guard FileManager.default.fileExists(atPath: path) else {
      Issue.record("'\(path)' is missing: rerun Tests/dataroot/make-data-root.sh")
      throw CocoaError(.fileNoSuchFile)
    }
    return try String(contentsOfFile: path, encoding: .utf8)
  }

  /// The layerdb layers (chain ID hex) that `docker rmi -f` of the image deleted on a copy of
  /// the data root, and what dockerd said if it refused.
  static func removal(of imageID: String) throws -> (freed: Set<String>, refusal: String) {
    let hex = Digest.hex(imageID)
    let freed = try fact("removal/\(hex).txt").split(separator: "\n").map(String.init)
    return (Set(freed), try fact("removal/\(hex).err"))
  }

  /// `docker export` of a container: path -> [type, uid, gid, mode, size, link target].
  static func exported(_ relative: String) throws -> [String: [Any]] {
    let data = Data(try fact(relative).utf8)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: [Any]])
  }

  /// `docker inspect` of the containers.
  static func inspectedContainers() throws -> [[String: Any]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/facts/containers.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
  }

  /// `docker diff NAME` as `path -> letter` (`A`, `C`, `D`), paths without the leading `/`.
  static func dockerDiff(_ name: String, in facts: String = "") throws -> [String: String] {
    let text = try fact(facts + "diff-\(name).txt")
    var result: [String: String] = [:]
    for line in text.split(separator: "\n") where line.count > 3 {
      result[String(line.dropFirst(3))] = String(line.prefix(1))
    }
    return result
  }

  /// The `docker save` archive of one image.
  static func archive(of imageID: String, in archives: String = "") -> String {
    folder + "/archives/" + archives + Digest.hex(imageID) + ".tar"
  }

  /// A `docker image inspect` file of the fixture, e.g. `rootless/images.json`.
  static func inspected(_ relative: String) throws -> [[String: Any]] {
    let data = Data(try fact(relative).utf8)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
  }

  /// The data root's catalog, intermediate images included.
  static func catalog(includeIntermediate: Bool = true) throws -> DataRootCatalog {
    try DataRootCatalog.open(path: root, includeIntermediate: includeIntermediate)
  }
}
