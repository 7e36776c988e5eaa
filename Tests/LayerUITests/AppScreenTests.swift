import LayerCore
import Testing

@testable import LayerUI

/// Whole screens at 80x24 after key replays, compared with golden files.
@Suite struct AppScreenTests {
  let catalog: TestCatalog

  init() throws {
    let small = try TestImage.make(
      [
        LayerSpec("/bin/sh -c #(nop) ADD file:abc in /").dir("etc").file("etc/hosts", size: 100)
      ], name: "example/small:2")
    let long = try TestImage.make(
      [
        LayerSpec("/bin/sh -c #(nop) ADD file:abc in /").dir("etc").file("etc/hosts", size: 100),
        LayerSpec(Self.longCommand).dir("usr").file("usr/bin-tool", size: 5_000),
      ], name: "example/long:3")
    catalog = TestCatalog(
      [try TestImage.example(), small, long],
      names: ["example/app:1", "example/small:2", "example/long:3"])
  }

  /// A RUN line of the kind Dockerfiles have, far longer than the details pane.
  static let longCommand =
    "/bin/sh -c set -eux; apt-get update; apt-get install -y "
    + "--no-install-recommends ca-certificates curl gnupg2 dirmngr libssl3 zlib1g tzdata; "
    + "curl -fsSL https://example.com/releases/tool-1.2.3-linux-amd64.tar.gz -o /tmp/tool.tgz; "
    + "echo 'deadbeef  /tmp/tool.tgz' | sha256sum -c -; tar -xzf /tmp/tool.tgz -C /usr; "
    + "rm -rf /var/lib/apt/lists/* /tmp/tool.tgz; apt-get purge -y --auto-remove curl gnupg2; "
    + "tool --version # END-OF-COMMAND"

  func screen(_ keys: String, image: Int? = 0, width: Int = 80, height: Int = 24) throws
    -> ScreenBuffer
  {
    App.replay(
      try KeyScript.parse(keys), catalog: catalog, initialImage: image, width: width,
      height: height)
  }

  @Test func `first screen`() throws {
    Golden.check(try screen(""), suite: "App", name: "first-screen")
  }

  @Test func `base layer`() throws {
    Golden.check(try screen("g"), suite: "App", name: "base-layer")
  }

  @Test func `install layer in every view`() throws {
    Golden.check(try screen("k"), suite: "App", name: "install-merged")
    Golden.check(try screen("k <C-a>"), suite: "App", name: "install-aggregated")
    Golden.check(try screen("k c"), suite: "App", name: "install-layer-only")
  }

  @Test func `tree focus collapse and filter`() throws {
    Golden.check(try screen("<Tab> j Space"), suite: "App", name: "tree-collapse")
    Golden.check(try screen("<Tab> f lib"), suite: "App", name: "tree-filter-typing")
    Golden.check(try screen("<Tab> u s b"), suite: "App", name: "tree-changes-by-size")
  }

  @Test func `search for an escaped name`() throws {
    Golden.check(try screen("k <Tab> /raw<Enter>"), suite: "App", name: "search-raw")
  }

  @Test func `a long command is cut with a hint, and d shows it whole`() throws {
    let cut = try screen("", image: 2)
    #expect(!cut.text.contains("END-OF-COMMAND"))
    #expect(cut.text.contains(DetailsPane.moreHint))
    Golden.check(cut, suite: "App", name: "details-cut")
    let whole = try screen("d", image: 2)
    #expect(whole.text.contains("END-OF-COMMAND"))
    // The whole diff ID the test image was given, not its first 12 digits.
    #expect(whole.text.contains("Diff ID " + String(repeating: "1", count: 64)))
    Golden.check(whole, suite: "App", name: "details-zoom")
    Golden.check(
      try screen("d j j", image: 2, width: 60, height: 14), suite: "App",
      name: "details-scrolled")
    let base = try screen("d <Left>", image: 2).text
    #expect(base.contains("Layer 1 of 2") && base.contains("Comment base layer"))
    #expect(try screen("d d", image: 2).text.contains(DetailsPane.moreHint))
    // A click on the details pane opens them too; the wheel scrolls them.
    #expect(try screen("<Click 5,12>", image: 2).text.contains("END-OF-COMMAND"))
    let wheeled = try screen("d <WheelDown 5,5>", image: 2, width: 60, height: 14)
    #expect(wheeled.text.contains("lines 4–15 of "))
  }

  @Test func `the details fit a narrow terminal too`() throws {
    let whole = try screen("d", image: 2, width: 60, height: 20)
    #expect(whole.text.contains("END-OF-COMMAND"))
  }

  @Test func `help and picker`() throws {
    Golden.check(try screen("?"), suite: "App", name: "help")
    let further = try screen("? <PgDn> <PgDn>").text
    #expect(further.contains("Details (d)") && further.contains("The layer below or above"))
    let picker = try screen("", image: nil)
    #expect(picker.text.contains("2024-05-06 07:08 UTC"))
    // An archive has no layer ancestry to offer.
    #expect(!picker.text.contains("Tab layer ancestry"))
    Golden.check(picker, suite: "App", name: "picker")
    Golden.check(try screen("sm", image: nil), suite: "App", name: "picker-filtered")
  }

  @Test func `the picker shows every name of an image, its ID, and platforms when they differ`()
    throws
  {
    var several = catalog
    several.otherNames[0] = ["example/app:latest", "registry.example.com/app:1.0"]
    let rows = App.replay(
      try KeyScript.parse(""), catalog: several, initialImage: nil,
      width: 120, height: 24
    ).text.split(separator: "\n")
    let app = try #require(rows.first { $0.contains("example/app:1") })
    #expect(app.contains("example/app:1, example/app:latest, registry.example.com/app:1.0"))
    let id = String(several.entries[0].id.dropFirst("sha256:".count).prefix(12))
    #expect(app.contains(id))
    #expect(!app.contains("linux/amd64"))

    // A narrow terminal keeps the names and leaves the ID out.
    let narrow = App.replay(
      try KeyScript.parse(""), catalog: several, initialImage: nil,
      width: 60, height: 24
    ).text
    #expect(narrow.contains("example/small:2") && !narrow.contains(id))

    var mixed = catalog
    mixed.platforms[1] = "linux/arm64"
    let text = App.replay(
      try KeyScript.parse(""), catalog: mixed, initialImage: nil,
      width: 120, height: 24
    ).text
    #expect(text.contains("example/app:1 (linux/amd64)"))
    #expect(text.contains("example/small:2 (linux/arm64)"))
  }

  @Test func `small terminals stack or explain`() throws {
    Golden.check(try screen("", width: 60, height: 20), suite: "App", name: "stacked-60x20")
    Golden.check(try screen("<Resize 20x5>"), suite: "App", name: "too-small")
    // A narrow tree leaves out the attribute columns so that names keep their room.
    let narrow = try screen("", width: 40, height: 12)
    #expect(narrow.text.contains("└── sh") && !narrow.text.contains("rwx"))
    Golden.check(narrow, suite: "App", name: "stacked-40x12")
  }

  @Test func `clicks on titles and headers select nothing`() throws {
    // Row 1 is the layer list's title, rows 0 to 2 the picker's title, filter and header.
    let image = try screen("<Click 5,1> <Click 40,1> <Click 40,2>")
    #expect(image.text.contains("layer 3 of 3"))
    for row in 0..<3 {
      let picker = try screen("<Click 5,\(row)>", image: nil)
      #expect(picker.text.contains("━ Images ━ 3 of 3"))
    }
  }

  @Test func `a click picks the image on its row, a second one opens it`() throws {
    // The picker's rows start at row 3, under its title, filter line and column header.
    #expect(try screen("<Click 5,4> <Enter>", image: nil).text.contains("example/small:2 ·"))
    #expect(try screen("<Click 5,5> <Click 5,5>", image: nil).text.contains("example/long:3 ·"))
    #expect(try screen("<Click 5,3> <Click 5,3>", image: nil).text.contains("example/app:1 ·"))
    // Below the last image there is nothing to open.
    #expect(try screen("<Click 5,12>", image: nil).text.contains("━ Images"))
  }

  @Test func `a click below the last tree row leaves the selected directory as it is`() throws {
    let below = try screen("<Tab> <Click 40,22>").text
    #expect(below.contains("├─▾ bin"))
    #expect(try screen("<Tab> <Click 40,3>").text.contains("├─▸ bin"))
  }

  @Test func `Esc goes back to the picker and q quits`() throws {
    let app = App(catalog: catalog, initialImage: 0, width: 80, height: 24)
    app.loadPendingImage()
    #expect(app.handle(.special(.escape)) == .running)
    #expect(app.render().text.contains("Images"))
    #expect(app.handle(.special(.enter)) == .running)
    #expect(!app.needsLoading)
    #expect(app.handle(.character("q")) == .quit(0))
  }

  @Test func `keys work while an image is read: q quits, Esc goes to the list`() throws {
    let app = App(catalog: catalog, initialImage: 1, width: 80, height: 24)
    #expect(app.pendingImage == 1)
    #expect(app.render().text.contains("Reading example/small:2 (1 layers)…"))
    #expect(app.handle(.special(.down)) == .running)
    #expect(app.handle(.special(.escape)) == .running)
    #expect(app.pendingImage == nil && app.render().text.contains("Images"))
    // The image read for the abandoned wait arrives late and changes nothing.
    app.finishLoading(1, with: Result { try catalog.openImage(at: 1) })
    #expect(app.render().text.contains("Images"))
    let waiting = App(catalog: catalog, initialImage: 0, width: 80, height: 24)
    #expect(waiting.handle(.character("q")) == .quit(0))
  }

  @Test func `an image that cannot be read sends the user back to the list with the reason`()
    throws
  {
    let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    let broken = try ArchiveCatalog(path: "/" + root + "/TestImages/bad/missing-layer.tar")
    let app = App(catalog: broken, initialImage: 0, width: 80, height: 24)
    app.loadPendingImage()
    let text = app.render().text
    #expect(text.contains("━ Images"))
    #expect(text.contains("Could not read 'layerscope/fixture:latest':"))
  }

  @Test func `no control character from names or commands reaches the screen`() throws {
    for keys in ["", "k", "k <Tab> G"] {
      let buffer = try screen(keys)
      #expect(
        !buffer.cells.contains { cell in
          cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        })
    }
  }

  @Test func `a real archive opens and walks`() throws {
    let path = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    let catalog = try ArchiveCatalog(path: "/" + path + "/TestImages/docker25.tar")
    let buffer = App.replay(
      try KeyScript.parse("g j j <C-a> c <Tab> G"), catalog: catalog,
      initialImage: 0)
    #expect(buffer.text.contains("layer 3 of 6 · layer only view"))
    // One image: no list to go back to, so the footer keeps its room for other keys.
    let first = App.replay([], catalog: catalog, initialImage: 0).text
    #expect(first.contains("v view  f filter  q quit") && !first.contains("Esc images"))
    #expect(buffer.text.contains("Files"))
  }
}
