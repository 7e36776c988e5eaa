import Foundation
import Testing

@testable import LayerCore

/// The real data root that `Tests/dataroot/make-data-root.sh` builds with dockerd 20.10, with
/// the `docker save` archives and the facts dockerd reported next to it.
///
/// Found through `LAYERSCOPE_DATA_ROOT_FIXTURE`, else at the script's default folder. When it is
/// missing, the tests that need it are skipped locally, but fail under `CI=true`: a CI run must
/// not pass without having read a real data root.
enum DataRootFixture {
  static let folder: String =
    ProcessInfo.processInfo.environment["LAYERSCOPE_DATA_ROOT_FIXTURE"]
    ?? "/tmp/layerscope-dataroot"

  static var root: String { folder + "/root" }

  static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  static var isPresent: Bool {
    FileManager.default.fileExists(atPath: folder + "/facts/images.json")
  }

  /// Whether the fixture tests run: when the fixture exists, and always in CI (to fail there).
  static var shouldRun: Bool { isPresent || isCI }

  /// Records a failure in CI when the fixture is missing; true when tests can go on.
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

  /// `docker inspect` of the containers.
  static func inspectedContainers() throws -> [[String: Any]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/facts/containers.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
  }

  /// `docker diff NAME` as `path -> letter` (`A`, `C`, `D`), paths without the leading `/`.
  static func dockerDiff(_ name: String) throws -> [String: String] {
    let text = try String(contentsOfFile: folder + "/facts/diff-\(name).txt", encoding: .utf8)
    var result: [String: String] = [:]
    for line in text.split(separator: "\n") where line.count > 3 {
      result[String(line.dropFirst(3))] = String(line.prefix(1))
    }
    return result
  }

  /// The `docker save` archive of one image.
  static func archive(of imageID: String) -> String {
    folder + "/archives/" + Digest.hex(imageID) + ".tar"
  }

  /// The data root's catalog, intermediate images included.
  static func catalog(includeIntermediate: Bool = true) throws -> DataRootCatalog {
    try DataRootCatalog.open(path: root, includeIntermediate: includeIntermediate)
  }
}
