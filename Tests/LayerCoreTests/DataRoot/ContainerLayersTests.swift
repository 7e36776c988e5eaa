import Foundation
import Testing

@testable import LayerCore

/// A container's read-write layer against `docker diff`.
@Suite(.enabled(if: DataRootFixture.shouldRun))
struct ContainerLayersTests {
  @Test(arguments: ["changed", "untouched"])
  func `the read-write layer's changes are what docker diff lists`(name: String) throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let model = try catalog.openContainer(name)
    let container = try #require(catalog.containers.first { $0.name == name })
    let image = try #require(catalog.allImages.first { $0.id == container.imageID })
    #expect(model.layerCount == image.config.rootfs.diffIDs.count + 2)
    #expect(model.info.layers.last?.diffID == container.mountID)

    let docker = try DataRootFixture.dockerDiff(name)
    let ours = Fixtures.changes(model, layer: model.layerCount - 1)
      .reduce(into: [String: String]()) { $0[String($1.key.dropFirst())] = $1.value }
    for (path, letter) in docker {
      switch letter {
      case "A": #expect(ours[path] == "added", "\(path)")
      case "D": #expect(ours[path] == "removed", "\(path)")
      default:
        // docker diff also marks folders that only hold changes; the model lists a folder only
        // when its own facts changed.
        let node = try #require(model.tree.lookup(Array(path.utf8)))
        let record = model.record(try #require(model.records(of: node).first))
        if record.kind != .directory { #expect(ours[path] == "modified", "\(path)") }
      }
    }
    for (path, change) in ours {
      switch change {
      case "added": #expect(docker[path] == "A", "\(path)")
      case "modified": #expect(docker[path] == "C", "\(path)")
      default:
        // docker diff names a removed folder, not what was inside it.
        let listed = docker.contains {
          $0.value == "D" && (path == $0.key || path.hasPrefix($0.key + "/"))
        }
        #expect(listed, "\(path)")
      }
    }
  }

  @Test func `the container's files are what docker export wrote`() throws {
    guard DataRootFixture.require() else { return }
    let model = try DataRootFixture.catalog().openContainer("changed")
    let exported = try DataRootFixture.exported("export-changed.json")
    #expect(exported.count > 100)
    let differences = ExportComparison.differences(model, exported: exported)
    #expect(differences.isEmpty, "\(differences.prefix(20).joined(separator: "\n"))")
  }

  @Test func `a container is found by ID prefix and unknown ones are refused`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let container = try #require(catalog.containers.first { $0.name == "changed" })
    let model = try catalog.openContainer(String(container.id.prefix(8)))
    #expect(model.info.reference == "changed")
    #expect(throws: DataRootError.noMatch(request: "nope", kind: "container")) {
      try catalog.openContainer("nope")
    }
  }

  @Test func `a container whose image was removed still opens from its layers`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let model = try catalog.openContainer("orphan-holder")
    #expect(model.info.history.count == 2)
    let node = try #require(model.tree.lookup(Array("orphan.txt".utf8)))
    #expect(!model.records(of: node).isEmpty)
  }
}
