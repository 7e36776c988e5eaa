import Dispatch
import Glibc
import Synchronization

/// Watches SIGINT, SIGTERM and SIGHUP while the UI runs, so the event loop can restore the
/// terminal and leave instead of dying with the screen in curses mode.
///
/// The signals are ignored for their default action and delivered through DispatchSource on a
/// background queue, which only records the signal; the event loop polls it between keys.
@MainActor
final class SignalWatch {
  /// The first signal received, written by the signal queue and read by the event loop.
  private final class Received: Sendable {
    let number = Atomic<Int32>(0)
  }

  static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  private let received = Received()
  private let sources: [any DispatchSourceSignal]

  init() {
    let queue = DispatchQueue(label: "layerscope.signals")
    var sources: [any DispatchSourceSignal] = []
    for number in Self.watched {
      Glibc.signal(number, SIG_IGN)
      sources.append(DispatchSource.makeSignalSource(signal: number, queue: queue))
    }
    self.sources = sources
    for (source, number) in zip(sources, Self.watched) {
      source.setEventHandler(handler: Self.recorder(received, number: number))
      source.resume()
    }
  }

  /// The handler runs on the signal queue; built outside the main actor so that Swift does
  /// not check for main-actor isolation when it runs there.
  private nonisolated static func recorder(
    _ received: Received, number: Int32
  ) -> @Sendable () -> Void {
    return {
      _ = received.number.compareExchange(expected: 0, desired: number, ordering: .relaxed)
    }
  }

  /// The first signal that arrived, or nil.
  var signal: Int32? {
    let value = received.number.load(ordering: .relaxed)
    return value == 0 ? nil : value
  }

  /// Stops watching and gives the signals their default actions back.
  func stop() {
    for source in sources { source.cancel() }
    for number in Self.watched { Glibc.signal(number, SIG_DFL) }
  }
}
