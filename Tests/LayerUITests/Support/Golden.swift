import Foundation
import LayerUI
import Testing

/// Compares a screen with its golden file under `Golden/<suite>/<name>.txt`.
///
/// `RECORD_GOLDEN=1` writes the file instead and fails on purpose, so a recording never
/// passes silently: review the new file and commit it.
enum Golden {
  static var isRecording: Bool {
    ProcessInfo.processInfo.environment["RECORD_GOLDEN"].map { !$0.isEmpty && $0 != "0" }
      ?? false
  }

  static func check(
    _ buffer: ScreenBuffer, suite: String, name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
      .appendingPathComponent("Golden").appendingPathComponent(suite)
    let file = folder.appendingPathComponent(name + ".txt")
    let actual = buffer.dump
    if isRecording {
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try? actual.write(to: file, atomically: true, encoding: .utf8)
      Issue.record(
        "recorded new golden \(suite)/\(name); review and commit",
        sourceLocation: sourceLocation)
      return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
      Issue.record(
        "no golden \(suite)/\(name); run with RECORD_GOLDEN=1 to record it",
        sourceLocation: sourceLocation)
      return
    }
    #expect(
      actual == expected, "screen differs from golden \(suite)/\(name)",
      sourceLocation: sourceLocation)
  }
}
