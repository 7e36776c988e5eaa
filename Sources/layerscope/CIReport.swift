import Foundation
import LayerCore

/// `--ci`: prints the figures and each rule's outcome, and gives the exit status.
enum CIReport {
  static func write(_ model: ImageModel, rules: CIRules, quiet: Bool) -> Int32 {
    let report = model.efficiency
    let outcomes = rules.evaluate(report)
    let failed = outcomes.contains { $0.status == .fail }
    var lines: [String] = []
    lines.append("image: \(model.info.reference ?? Digest.short(model.info.configDigest))")
    lines.append("  efficiency:        \(percent(report.score))")
    lines.append(
      "  wastedBytes:       \(report.wastedBytes) bytes (\(ByteCount.format(report.wastedBytes)))")
    lines.append("  userWastedPercent: \(percent(report.userWastedRatio))")
    lines.append(
      "  reclaimableBytes:  \(report.reclaimableBytes) bytes "
        + "(\(ByteCount.format(report.reclaimableBytes)))")
    lines.append("rules:")
    for outcome in outcomes {
      lines.append("  \(outcome.status.rawValue): \(outcome.rule) (\(outcome.detail))")
    }
    let passed = outcomes.filter { $0.status == .pass }.count
    let skipped = outcomes.filter { $0.status == .skip }.count
    lines.append(
      "result: \(failed ? "FAIL" : "PASS") (\(passed) passed, "
        + "\(outcomes.count - passed - skipped) failed, \(skipped) skipped)")
    let text = lines.joined(separator: "\n") + "\n"
    if quiet {
      // JSON owns standard output; the CI summary goes to standard error.
      FileHandle.standardError.write(Data(text.utf8))
    } else {
      print(text, terminator: "")
    }
    return failed ? ExitStatus.ruleFailed : ExitStatus.success
  }

  private static func percent(_ ratio: Double) -> String {
    String(format: "%.4f %%", ratio * 100)
  }
}
