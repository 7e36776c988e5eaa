import Foundation

@testable import LayerCore

/// Runs the real `layerscope` binary, optionally as another user through `setpriv`.
struct BinaryRun {
  var status: Int32
  var output: Data
  var errors: String
  var text: String { String(decoding: output, as: UTF8.self) }
  /// The lines written to standard error.
  var errorLines: [Substring] { errors.split(separator: "\n") }

  static let binary = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent(".build/debug/layerscope").path

  /// Runs the binary with `arguments`; with `asNobody`, as user and group 65534 with no groups.
  static func run(
    _ arguments: [String], asNobody: Bool = false, in directory: String? = nil
  ) throws -> BinaryRun {
    try run(arguments, as: asNobody ? (65534, 65534) : nil, in: directory)
  }

  /// Runs the binary with `arguments`, as user and group `ids` (no other groups) when given,
  /// in `directory` when given.
  static func run(
    _ arguments: [String], as ids: (UInt32, UInt32)?, in directory: String? = nil
  ) throws -> BinaryRun {
    let process = Process()
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let (uid, gid) = ids {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
      process.arguments =
        ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", binary] + arguments
    } else {
      process.executableURL = URL(fileURLWithPath: binary)
      process.arguments = arguments
    }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return BinaryRun(
      status: process.terminationStatus, output: data,
      errors: String(decoding: errorData, as: UTF8.self))
  }

  /// The output parsed as a JSON object.
  func json() throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: output) as? [String: Any] else {
      throw CocoaError(.propertyListReadCorrupt)
    }
    return object
  }
}
