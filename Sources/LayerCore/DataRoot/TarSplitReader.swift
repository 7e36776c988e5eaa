import Glibc

/// Reads a layer's `tar-split.json.gz`: every entry header for the scan, and each file's CRC-64
/// for content comparisons, without touching the layer's files.
struct TarSplitReader {
  /// The folder holding `tar-split.json.gz` (a layerdb entry).
  let folder: DataRootFolder
  /// The layer's chain ID, for messages.
  let chainID: String

  static let fileName = "tar-split.json.gz"

  /// Builds the layer's scan from the headers in the segments.
  ///
  /// - Throws: ``DataRootError/badTarSplit(chainID:detail:)`` when the file cannot be decoded,
  ///   the entries do not follow the segments' headers, or a name leaves the root;
  ///   other ``DataRootError`` cases when it cannot be read.
  func scan() throws(DataRootError) -> LayerScan {
    try scanMeasuringTar().scan
  }

  /// Builds the scan, and adds up the size of the layer tar: the segments' bytes and each file's
  /// size, which is what `docker save` writes for the layer.
  func scanMeasuringTar() throws(DataRootError) -> (scan: LayerScan, tarBytes: Int64) {
    var scan = LayerScan()
    var tarBytes: Int64 = 0
    var parser = SegmentHeaderParser()
    var queue: [SegmentHeaderParser.Header] = []
    var queueHead = 0
    try forEachEntry { (entry: TarSplitEntry) throws(DataRootError) in
      if entry.type == TarSplitEntry.segmentType {
        tarBytes += Int64(entry.payload.count)
        do throws(SegmentHeaderParser.Failure) {
          queue.append(contentsOf: try parser.feed(entry.payload))
        } catch {
          throw bad("at byte \(error.offset) of the headers: \(error.detail)")
        }
        return
      }
      guard entry.type == TarSplitEntry.fileType else {
        throw bad("entry \(entry.position) has unknown type \(entry.type)")
      }
      guard queueHead < queue.count else {
        throw bad("file entry \(entry.position) has no header before it")
      }
      tarBytes += entry.size
      let header = queue[queueHead]
      queueHead += 1
      if queueHead == queue.count {
        queue.removeAll(keepingCapacity: true)
        queueHead = 0
      }
      guard header.name == entry.name || header.isGlobal else {
        throw bad(
          "entry \(entry.position) names '\(text(entry.name))', its header "
            + "'\(text(header.name))'")
      }
      if header.isGlobal { return }
      try Self.append(header, to: &scan)
    }
    guard parser.isFinished else { throw bad("the headers end before the end of the archive") }
    guard queueHead == queue.count else { throw bad("a header has no file entry") }
    return (scan, tarBytes)
  }

  /// The CRC-64 of each named file, straight from the file entries.
  func fingerprints(of paths: Set<[UInt8]>) throws(DataRootError) -> [[UInt8]: [UInt8]] {
    var result: [[UInt8]: [UInt8]] = [:]
    try forEachEntry { (entry: TarSplitEntry) throws(DataRootError) in
      guard entry.type == TarSplitEntry.fileType, entry.size > 0, entry.payload.count == 8,
        let path = try? PathCleaner.clean(entry.name), paths.contains(path)
      else { return }
      result[path] = entry.payload
    }
    return result
  }

  /// Adds one header to the scan, as a tar reader of the same layer would.
  static func append(
    _ header: SegmentHeaderParser.Header, to scan: inout LayerScan
  ) throws(DataRootError) {
    let size = header.isHeaderOnly ? 0 : header.size
    scan.entryCount += 1
    scan.contentSize += size
    let outcome: PathCleaner.Outcome
    do {
      outcome = try PathCleaner.classify(header.name)
    } catch {
      throw .unsafePath(path: String(decoding: header.name, as: UTF8.self))
    }
    switch outcome {
    case .entry(let path):
      let kind = try kind(of: header)
      var link: [UInt8] = []
      if kind == .symlink {
        link = header.linkName
      } else if kind == .hardlink {
        do {
          link = try PathCleaner.clean(header.linkName)
        } catch {
          throw .unsafePath(path: String(decoding: header.linkName, as: UTF8.self))
        }
      }
      scan.append(
        path: path, kind: kind, mode: header.mode, uid: header.uid, gid: header.gid, size: size,
        link: link)
    case .whiteout(let path):
      scan.append(path: path, kind: .whiteout, mode: 0, uid: 0, gid: 0, size: size, link: [])
    case .opaque(let path):
      scan.append(path: path, kind: .opaqueMarker, mode: 0, uid: 0, gid: 0, size: size, link: [])
    case .root, .ignored:
      break
    }
  }

  private static func kind(of header: SegmentHeaderParser.Header) throws(DataRootError)
    -> EntryKind
  {
    switch header.typeflag {
    case UInt8(ascii: "0"), UInt8(ascii: "7"): .regular
    case UInt8(ascii: "1"): .hardlink
    case UInt8(ascii: "2"): .symlink
    case UInt8(ascii: "3"): .characterDevice
    case UInt8(ascii: "4"): .blockDevice
    case UInt8(ascii: "5"): .directory
    case UInt8(ascii: "6"): .fifo
    default:
      throw .malformed(
        path: String(decoding: header.name, as: UTF8.self),
        detail: "unhandled tar header type '\(Character(Unicode.Scalar(header.typeflag)))'")
    }
  }

  // MARK: - Reading the file

  /// Streams and parses every line of the file, in order.
  private func forEachEntry(
    _ body: (TarSplitEntry) throws(DataRootError) -> Void
  ) throws(DataRootError) {
    let descriptor = try folder.openFile(bytes: Array(Self.fileName.utf8))
    defer { close(descriptor) }
    var lineNumber = 0
    do {
      try GzipLineReader.forEachLine(descriptor: descriptor) { line in
        lineNumber += 1
        guard !line.isEmpty else { return }
        let entry: TarSplitEntry
        do throws(TarSplitEntry.Failure) {
          entry = try TarSplitEntry.parse(line)
        } catch {
          throw bad("line \(lineNumber), byte \(error.offset): \(error.detail)")
        }
        try body(entry)
      }
    } catch let error as DataRootError {
      throw error
    } catch let error as GzipLineReader.Failure {
      throw bad(error.message)
    } catch {
      throw bad("\(error)")
    }
  }

  private func bad(_ detail: String) -> DataRootError {
    .badTarSplit(chainID: chainID, detail: detail)
  }

  private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
