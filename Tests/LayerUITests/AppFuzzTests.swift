import LayerCore
import Testing

@testable import LayerUI

/// Long seeded runs of random keys, clicks, wheel turns and resizes: every screen has the
/// terminal's size and holds no control character, and nothing traps on the way.
@Suite struct AppFuzzTests {
  /// A small linear congruential generator, so a failing run can be replayed from its seed.
  struct Random {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  static let typed: [KeyEvent] = "abcdfghjklmnqrsuvz/[]?. 0(".map { .character($0) }
  static let special: [KeyEvent] = SpecialKey.allCases.map { .special($0) }
  static let controls: [KeyEvent] = [0, 1, 2, 6, 12, 15, 18, 21].map { .control($0) }

  func event(_ random: inout Random, width: Int, height: Int) -> KeyEvent {
    switch random.next(10) {
    case 0:
      return .resize(width: 10 + random.next(111), height: 3 + random.next(38))
    case 1:
      let actions: [MouseEvent.Action] = [.press, .wheelUp, .wheelDown]
      return .mouse(
        MouseEvent(
          actions[random.next(3)], x: random.next(max(1, width)), y: random.next(max(1, height))))
    case 2: return Self.controls[random.next(Self.controls.count)]
    case 3, 4: return Self.special[random.next(Self.special.count)]
    default:
      let key = Self.typed[random.next(Self.typed.count)]
      // Quitting ends a run early; most runs should go on.
      return key == .character("q") && random.next(8) != 0 ? .character("j") : key
    }
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6])
  func `random sessions draw whole, safe screens`(seed: Int) throws {
    let example = try TestImage.example()
    let small = try TestImage.make([LayerSpec("ADD x").dir("etc").file("etc/hosts", size: 3)])
    let catalog = TestCatalog([example, small], names: ["example/app:1", "example/small:2"])
    var random = Random(state: UInt64(seed))
    let app = App(catalog: catalog, initialImage: seed % 2 == 0 ? 0 : nil, width: 80, height: 24)
    var width = 80
    var height = 24
    for step in 0..<1_500 {
      let event = event(&random, width: width, height: height)
      if case .resize(let newWidth, let newHeight) = event {
        width = newWidth
        height = newHeight
      }
      if case .quit = app.handle(event) { break }
      if app.needsLoading { app.loadPendingImage() }
      let buffer = app.render()
      #expect(buffer.width == width && buffer.height == height, "step \(step)")
      let unsafe = buffer.cells.contains { cell in
        cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
      }
      #expect(!unsafe, "step \(step): a control character on screen")
    }
  }
}
