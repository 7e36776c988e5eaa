import Foundation
import Testing

@testable import LayerCore

/// Builds tiny layer tars with Python's `tarfile` (a real tar writer, not ours), for the edge
/// cases no image builder produces on demand.
enum LayerTars {
  /// One entry: `d name` directory, `f name content` file, `l name target` symlink,
  /// `h name target` hard link.
  static func make(_ layers: [[String]], mode: Int = 0o644) throws -> [String] {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let spec = try JSONSerialization.data(withJSONObject: layers)
    let script = """
      import io, json, sys, tarfile
      layers = json.loads(sys.argv[1]); out = sys.argv[2]
      for index, entries in enumerate(layers):
          with tarfile.open(f"{out}/layer{index}.tar", "w", format=tarfile.PAX_FORMAT) as tar:
              for line in entries:
                  kind, name, *rest = line.split(" ", 2)
                  info = tarfile.TarInfo(name)
                  info.mtime = 1700000000
                  data = None
                  if kind == "d":
                      info.type = tarfile.DIRTYPE; info.mode = 0o755
                  elif kind == "f":
                      data = (rest[0] if rest else "").encode()
                      info.size = len(data); info.mode = \(mode)
                  elif kind == "x":
                      data = (rest[0] if rest else "").encode()
                      info.size = len(data); info.mode = 0o755
                  elif kind == "l":
                      info.type = tarfile.SYMTYPE; info.linkname = rest[0]
                  elif kind == "h":
                      info.type = tarfile.LNKTYPE; info.linkname = rest[0]
                  tar.addfile(info, io.BytesIO(data) if data is not None else None)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", "-c", script, String(decoding: spec, as: UTF8.self),
      directory.path,
    ]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return layers.indices.map { directory.appendingPathComponent("layer\($0).tar").path }
  }

  /// Builds a model from layer tars, with made-up diff IDs.
  static func model(_ layers: [[String]], mode: Int = 0o644) throws -> ImageModel {
    let paths = try make(layers, mode: mode)
    let infos = paths.indices.map { LayerInfo(index: $0, diffID: "sha256:layer\($0)") }
    let info = ImageInfo(configDigest: "sha256:config", layers: infos, history: [])
    let sources: [any LayerSource] = try paths.map {
      TarLayerSource(range: try FileRange.wholeFile($0), name: $0)
    }
    return try ImageModel.build(info: info, sources: sources)
  }

  static func node(_ model: ImageModel, _ path: String) throws -> NodeIndex {
    try #require(model.tree.lookup(Array(path.utf8)), "no node for \(path)")
  }

  /// Whether `path` exists in the merged view at `layer`.
  static func exists(_ model: ImageModel, _ path: String, at layer: Int) -> Bool {
    guard let node = model.tree.lookup(Array(path.utf8)) else { return false }
    return model.mergedView(at: layer).contains(node)
  }
}
