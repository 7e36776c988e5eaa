import Foundation
import LayerCore

/// Exit statuses, as the help text lists them.
enum ExitStatus {
  static let success: Int32 = 0
  static let ruleFailed: Int32 = 1
  static let badInput: Int32 = 2
  static let usage: Int32 = 64
}

/// Prints one line to standard error, prefixed with the tool's name.
func complain(_ message: String) {
  FileHandle.standardError.write(Data("layerscope: \(message)\n".utf8))
}

let version = "0.1.0"

let options: CommandLineOptions
do {
  options = try CommandLineParser.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
  complain(error.description)
  complain("see 'layerscope --help'")
  exit(ExitStatus.usage)
}
if options.help {
  print(CommandLineParser.usage)
  exit(ExitStatus.success)
}
if options.version {
  print("layerscope \(version)")
  exit(ExitStatus.success)
}
exit(Runner(options: options).run())
