import Foundation
import Testing

@testable import LayerCore

/// The catalog of the real data root against what dockerd itself said about it.
@Suite(.enabled(if: DataRootFixture.shouldRun))
struct DataRootCatalogTests {
  @Test func `every image is listed with its tags, size, layer count and creation time`()
    throws
  {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    #expect(catalog.warnings.isEmpty)
    let inspected = try DataRootFixture.inspectedImages()
    #expect(catalog.entries.count == inspected.count)
    for image in inspected {
      let id = try #require(image["Id"] as? String)
      let entry = try #require(catalog.entries.first { $0.id == id }, "\(id) not listed")
      let tags = (image["RepoTags"] as? [String] ?? []).sorted()
      let digests = image["RepoDigests"] as? [String] ?? []
      #expect(entry.names == (tags + digests).sorted(), "\(id)")
      #expect(entry.sizeBytes == (image["Size"] as? NSNumber)?.int64Value, "\(id)")
      let rootFS = try #require(image["RootFS"] as? [String: Any])
      #expect(entry.layerCount == (rootFS["Layers"] as? [Any])?.count, "\(id)")
      #expect(entry.created == image["Created"] as? String, "\(id)")
    }
  }

  @Test func `the default listing hides intermediate images as docker images does`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog(includeIntermediate: false)
    let lines = try String(
      contentsOfFile: DataRootFixture.folder + "/facts/images-top.jsonl", encoding: .utf8)
    var expected = Set<String>()
    for line in lines.split(separator: "\n") {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      if let id = object?["ID"] as? String { expected.insert(id) }
    }
    #expect(Set(catalog.entries.map(\.id)) == expected)
    #expect(catalog.entries.first?.names.first == "example.org/team/svc-a:stable")
    #expect(catalog.entries.last?.names.isEmpty == true)
  }

  @Test func `all tags of one image are one entry`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let svc = try #require(catalog.entries.first { $0.names.contains("layerscope/svc-a:1") })
    #expect(
      svc.names == [
        "example.org/team/svc-a:stable", "layerscope/svc-a:1", "layerscope/svc-a:latest",
      ])
    let index = try ImageSelector.select(in: catalog, request: "layerscope/svc-a", platform: nil)
    #expect(catalog.entries[index].id == svc.id)
    let byID = try ImageSelector.select(
      in: catalog, request: String(Digest.hex(svc.id).prefix(10)), platform: nil)
    #expect(byID == index)
  }

  @Test func `containers are found with their names and layers`() throws {
    guard DataRootFixture.require() else { return }
    let catalog = try DataRootFixture.catalog()
    let inspected = try DataRootFixture.inspectedContainers()
    #expect(catalog.containers.count == inspected.count)
    for container in inspected {
      let id = try #require(container["Id"] as? String)
      let found = try #require(catalog.containers.first { $0.id == id })
      #expect("/" + (found.name ?? "") == container["Name"] as? String)
      let driver = container["GraphDriver"] as? [String: Any]
      let data = driver?["Data"] as? [String: String]
      #expect(data?["UpperDir"]?.hasSuffix("/overlay2/\(found.mountID)/diff") == true)
    }
  }
}
