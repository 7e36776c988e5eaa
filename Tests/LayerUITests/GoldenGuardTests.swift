import Foundation
import Testing

@Test func `golden screens are never re-recorded in CI`() {
  let environment = ProcessInfo.processInfo.environment
  let inCI = environment["CI"].map { $0 == "true" || $0 == "1" } ?? false
  #expect(!(inCI && Golden.isRecording), "RECORD_GOLDEN must not be set in CI")
}
