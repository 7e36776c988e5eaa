import Foundation
import Testing

@testable import LayerCore

/// The tar-split reader against the archive reader, over tars made by Python's `tarfile` in
/// every header format and disassembled by the real `tar-split` tool.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tar-split")))
struct TarSplitReaderTests {
  /// Python that writes one tar at argv[1] in format argv[2] with every kind of entry.
  static let script = """
    import io, sys, tarfile
    out, form = sys.argv[1], {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT}[sys.argv[2]]
    long = "deep/" + "d" * 120 + "/" + "n" * 130
    def add(tar, name, kind=tarfile.REGTYPE, data=None, **fields):
        info = tarfile.TarInfo(name); info.type = kind; info.mtime = 1700000000
        for key, value in fields.items(): setattr(info, key, value)
        if data is not None: info.size = len(data)
        tar.addfile(info, io.BytesIO(data) if data is not None else None)
    globals_ = {"comment": "a global header"} if form == tarfile.PAX_FORMAT else None
    with tarfile.open(out, "w", format=form, encoding="utf-8", errors="surrogateescape",
                      pax_headers=globals_) as tar:
        add(tar, "./", tarfile.DIRTYPE, mode=0o755)
        add(tar, "etc/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "etc/passwd", data=b"root:x:0:0\\n" * 77, mode=0o644, uid=7, gid=8)
        add(tar, "etc/empty", data=b"", mode=0o600)
        add(tar, "etc/link", tarfile.SYMTYPE, linkname="/usr/lib/" + "t" * 150)
        add(tar, "etc/hard", tarfile.LNKTYPE, linkname="./etc/passwd")
        add(tar, "deep/", tarfile.DIRTYPE, mode=0o700)
        add(tar, long, data=b"x" * 1025, mode=0o640)
        add(tar, "p" * 90 + "/" + "q" * 90, data=b"prefix", mode=0o644)
        add(tar, "big-ids", data=b"ids", uid=3000000, gid=4000000, mode=0o4755)
        add(tar, "dev/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "dev/null", tarfile.CHRTYPE, devmajor=1, devminor=3, mode=0o666)
        add(tar, "dev/loop", tarfile.BLKTYPE, devmajor=7, devminor=0, mode=0o660)
        add(tar, "dev/fifo", tarfile.FIFOTYPE, mode=0o644)
        add(tar, "raw-\\udcff\\udcfe.txt", data=b"raw", mode=0o644)
        add(tar, "gone/.wh.file", data=b"", mode=0o600)
        add(tar, "opaque/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "opaque/.wh..wh..opq", data=b"", mode=0o600)
        add(tar, ".wh..wh.plnk/", tarfile.DIRTYPE, mode=0o700)
    """

  /// Makes the tar and its `tar-split.json.gz` in a fresh folder; returns the folder.
  static func make(format: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-tarsplit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let tar = folder.appendingPathComponent("layer.tar").path
    try run("/usr/bin/python3", ["-c", script, tar, format])
    try run(
      "/bin/sh",
      [
        "-c",
        "tar-split disasm --no-stdout --output '\(folder.path)/"
          + "\(TarSplitReader.fileName)' '\(tar)'",
      ])
    return folder
  }

  static func run(_ tool: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(tool) \(arguments.last ?? "")")
  }

  @Test(arguments: ["pax", "gnu"])
  func `headers from tar-split equal the tar's own headers`(format: String) throws {
    let folder = try Self.make(format: format)
    let fromSplit = try TarSplitReader(
      folder: try DataRootFolder.open(path: folder.path), chainID: "sha256:test"
    ).scan()
    let tarPath = folder.appendingPathComponent("layer.tar").path
    let fromTar = try TarLayerSource(range: try FileRange.wholeFile(tarPath), name: tarPath).scan()
    #expect(fromSplit.count == 17)
    #expect(fromSplit.pathBytes == fromTar.pathBytes)
    #expect(fromSplit.pathEnds == fromTar.pathEnds)
    #expect(fromSplit.kinds == fromTar.kinds)
    #expect(fromSplit.modes == fromTar.modes)
    #expect(fromSplit.uids == fromTar.uids)
    #expect(fromSplit.gids == fromTar.gids)
    #expect(fromSplit.sizes == fromTar.sizes)
    #expect(fromSplit.linkBytes == fromTar.linkBytes)
    #expect(fromSplit.linkEnds == fromTar.linkEnds)
    #expect(fromSplit.entryCount == fromTar.entryCount)
    #expect(fromSplit.contentSize == fromTar.contentSize)
  }

  @Test func `fingerprints are the CRC-64 of each file's content`() throws {
    let folder = try Self.make(format: "pax")
    let reader = TarSplitReader(
      folder: try DataRootFolder.open(path: folder.path), chainID: "sha256:test")
    let passwd = Array("etc/passwd".utf8)
    let prints = try reader.fingerprints(of: [passwd, Array("missing".utf8)])
    let content = Array(String(repeating: "root:x:0:0\n", count: 77).utf8)
    #expect(prints == [passwd: CRC64.checksum(content)])
  }

  @Test func `a garbled tar-split is refused with the layer named`() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("layerscope-tarsplit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("not gzip at all".utf8).write(
      to: folder.appendingPathComponent(TarSplitReader.fileName))
    let reader = TarSplitReader(
      folder: try DataRootFolder.open(path: folder.path), chainID: "sha256:abc")
    #expect {
      try reader.scan()
    } throws: { error in
      guard case .badTarSplit(let chainID, _) = error as? DataRootError else { return false }
      return chainID == "sha256:abc"
    }
  }
}
