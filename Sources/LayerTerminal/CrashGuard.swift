@preconcurrency internal import CCurses
import Glibc

/// Restores the terminal when the process crashes (a failed precondition, a bad access), so a
/// crash leaves a usable shell and its message readable, then lets the crash go on.
enum CrashGuard {
  private static let fatal: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE]

  /// Installs the handlers.
  static func install() {
    for number in fatal {
      signal(number) { number in
        // endwin is not async-signal-safe, but the process is about to die and a terminal left
        // in raw mode on the alternate screen is worse; htop makes the same trade.
        endwin()
        signal(number, SIG_DFL)
        raise(number)
      }
    }
  }

  /// Gives the fatal signals their default actions back.
  static func remove() {
    for number in fatal { signal(number, SIG_DFL) }
  }
}
