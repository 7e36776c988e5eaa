import Testing

@testable import LayerCore

/// The model's rules on tiny layers whose right answers are worked out by hand here.
@Suite struct ModelBuilderTests {
  @Test func `whiteouts remove a file and a directory with its subtree`() throws {
    let model = try LayerTars.model([
      [
        "d etc", "f etc/motd hello", "d var", "d var/cache", "f var/cache/a 12345",
        "f var/cache/b 123",
      ],
      ["f etc/.wh.motd", "f var/.wh.cache"],
    ])
    #expect(
      Fixtures.changes(model, layer: 1) == [
        "/etc/motd": "removed", "/var/cache": "removed", "/var/cache/a": "removed",
        "/var/cache/b": "removed",
      ])
    #expect(LayerTars.exists(model, "/var/cache/a", at: 0))
    #expect(!LayerTars.exists(model, "/var/cache/a", at: 1))
    #expect(LayerTars.exists(model, "/var", at: 1))
    // dive's tally: motd 5 then 0; the cache whiteout counts the 8 bytes it hides, the files
    // below it once each. Paths: etc/motd [5, 0], var/cache [0?]: var/cache has children in
    // layer 0, so it is no leaf there and counts only as the whiteout (8).
    let report = model.efficiency
    #expect(report.wastedBytes == 5)
    // Sums: motd 5 + 0, a 5, b 3, cache 8; minimums: 0 + 5 + 3 + 8 = 16 of 21.
    #expect(abs(report.score - 16.0 / 21.0) < 1e-12)
    #expect(report.reclaimableBytes == 13)
    #expect(report.finalBytes == 0)
  }

  @Test func `an opaque directory hides every lower child but keeps its own layer's`() throws {
    let model = try LayerTars.model([
      ["d data", "f data/one 1111", "d data/sub", "f data/sub/two 22"],
      ["d data", "f data/.wh..wh..opq", "f data/three 333"],
    ])
    #expect(
      Fixtures.changes(model, layer: 1) == [
        "/data/one": "removed", "/data/sub": "removed", "/data/sub/two": "removed",
        "/data/three": "added",
      ])
    #expect(LayerTars.exists(model, "/data/three", at: 1))
    #expect(!LayerTars.exists(model, "/data/sub/two", at: 1))
    #expect(LayerTars.exists(model, "/data/sub/two", at: 0))
    let data = try LayerTars.node(model, "/data")
    #expect(model.mergedView(at: 1).size(of: data) == 3)
    #expect(model.mergedView(at: 0).size(of: data) == 6)
    // The marker counts the 6 bytes it hides, once, at /data.
    let report = model.efficiency
    #expect(report.wastedBytes == 0)
    #expect(report.reclaimableBytes == 6)
  }

  @Test func `the opaque marker works wherever it stands in the tar`() throws {
    let model = try LayerTars.model([
      ["d data", "f data/one 1"],
      ["d data", "f data/new 2", "f data/.wh..wh..opq"],
    ])
    #expect(LayerTars.exists(model, "/data/new", at: 1))
    #expect(!LayerTars.exists(model, "/data/one", at: 1))
  }

  @Test func `modified means type, mode, size or content; equal files are not changes`() throws {
    let model = try LayerTars.model([
      [
        "d a", "f a/same abc", "f a/content abc", "f a/size abc", "f a/mode abc",
        "l a/link one",
      ],
      ["f a/same abc", "f a/content xyz", "f a/size abcd", "x a/mode abc", "l a/link two"],
    ])
    #expect(
      Fixtures.changes(model, layer: 1) == [
        "/a/content": "modified", "/a/size": "modified", "/a/mode": "modified",
        "/a/link": "modified",
      ])
  }

  @Test func `a later duplicate in one layer wins`() throws {
    let model = try LayerTars.model([["d a", "f a/x 1", "f a/x 4444"]])
    let node = try LayerTars.node(model, "/a/x")
    let record = try #require(model.mergedView(at: 0).record(of: node))
    #expect(model.record(record).size == 4)
    #expect(model.records(of: node).count == 1)
    #expect(model.info.layers[0].contentSize == 5)
    #expect(model.info.layers[0].entryCount == 3)
  }

  @Test func `missing parents are implied and a directory replaced by a file hides its children`()
    throws
  {
    let model = try LayerTars.model([
      ["f deep/er/file 12"],
      ["f deep 1234567"],
    ])
    let deep = try LayerTars.node(model, "/deep")
    let below = try #require(model.mergedView(at: 0).record(of: deep))
    #expect(model.record(below).kind == .directory)
    #expect(model.record(below).isImplicit)
    #expect(
      Fixtures.changes(model, layer: 1) == [
        "/deep": "modified", "/deep/er": "removed", "/deep/er/file": "removed",
      ])
    #expect(model.mergedView(at: 1).size(of: PathTree.root) == 7)
  }

  @Test func `a whiteout and a new entry under it in one layer act as an opaque directory`()
    throws
  {
    let model = try LayerTars.model([
      ["d d", "f d/old 1"],
      ["f .wh.d", "d d", "f d/new 22"],
    ])
    #expect(!LayerTars.exists(model, "/d/old", at: 1))
    #expect(LayerTars.exists(model, "/d/new", at: 1))
    #expect(Fixtures.changes(model, layer: 1) == ["/d/old": "removed", "/d/new": "added"])
  }

  @Test func `a path re-added after removal is added again and every layer is recorded`() throws {
    let model = try LayerTars.model([
      ["f x 1"], ["f .wh.x"], ["f x 22"],
    ])
    #expect(Fixtures.changes(model, layer: 2) == ["/x": "added"])
    let node = try LayerTars.node(model, "/x")
    #expect(model.records(of: node).map { model.layer(of: $0) } == [2, 1, 0])
    #expect(!LayerTars.exists(model, "/x", at: 1))
    #expect(LayerTars.exists(model, "/x", at: 2))
  }

  @Test func `names escaping the root are refused`() throws {
    let paths = try LayerTars.make([["f ../../etc/evil x"]])
    let source = TarLayerSource(range: try FileRange.wholeFile(paths[0]), name: paths[0])
    #expect(throws: ImageSourceError.pathEscapesRoot(entry: "../../etc/evil")) {
      _ = try source.scan()
    }
  }

  @Test func `long names come through PAX headers whole`() throws {
    let long = String(repeating: "n", count: 180)
    let model = try LayerTars.model([["d dir", "f dir/\(long) z"]])
    #expect(model.tree.lookup(Array("dir/\(long)".utf8)) != nil)
  }
}
