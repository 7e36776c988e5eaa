import Testing

@testable import LayerCore

@Suite struct SelectionTests {
  @Test func `several images in one archive are listed and picked by tag or ID`() throws {
    let catalog = try ArchiveCatalog(path: Fixtures.path("multi-image.tar"))
    #expect(catalog.entries.count == 3)
    #expect(throws: ImageSourceError.self) {
      _ = try ImageSelector.select(in: catalog, request: nil, platform: nil)
    }
    let byTag = try ImageSelector.select(in: catalog, request: "layerscope/app-a:1", platform: nil)
    #expect(catalog.entries[byTag].names == ["layerscope/app-a:1"])
    let id = Digest.hex(catalog.entries[byTag].id)
    let byID = try ImageSelector.select(in: catalog, request: String(id.prefix(6)), platform: nil)
    #expect(byID == byTag)
    let model = try catalog.openImage(at: byTag)
    let base = try catalog.openImage(
      at: try ImageSelector.select(in: catalog, request: "layerscope/base:1", platform: nil))
    #expect(model.info.layers[0].diffID == base.info.layers[0].diffID)
  }

  @Test func `a multi-platform index is picked by platform`() throws {
    let catalog = try ArchiveCatalog(path: Fixtures.path("multi-platform.tar"))
    #expect(Set(catalog.entries.compactMap(\.platform)) == ["linux/amd64", "linux/arm64"])
    let arm = try ImageSelector.select(in: catalog, request: nil, platform: "linux/arm64")
    let model = try catalog.openImage(at: arm)
    #expect(model.info.architecture == "arm64")
    #expect(throws: ImageSourceError.self) {
      _ = try ImageSelector.select(in: catalog, request: nil, platform: "linux/s390x")
    }
  }

  @Test func `short names match Docker's long ones`() {
    #expect(ImageSelector.matchesName("docker.io/library/nginx:latest", "nginx"))
    #expect(ImageSelector.matchesName("docker.io/layerscope/fixture:v1", "layerscope/fixture:v1"))
    #expect(!ImageSelector.matchesName("nginx:1.27", "nginx"))
  }
}
