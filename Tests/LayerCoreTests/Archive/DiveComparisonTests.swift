import Foundation
import Testing

@testable import LayerCore

/// Our dive-style figures against dive 0.13.1's own, recorded by TestImages/make-fixtures.sh.
@Suite struct DiveComparisonTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var fixture: String
    var reference: String?
    var hasOpaqueMarker: Bool
    var testDescription: String { fixture + (reference.map { " " + $0 } ?? "") }
  }

  static let cases = [
    Case(fixture: "buildah-archive.tar", reference: nil, hasOpaqueMarker: false),
    Case(fixture: "docker-legacy.tar", reference: nil, hasOpaqueMarker: true),
    Case(fixture: "docker-archive-skopeo.tar", reference: nil, hasOpaqueMarker: true),
    Case(fixture: "podman-archive.tar", reference: nil, hasOpaqueMarker: true),
  ]

  static func diveFigures(_ fixture: String) throws -> (
    score: Double, wasted: Int64,
    userPercent: Double, paths: [String: Int]
  ) {
    let facts = try Fixtures.expected(fixture)
    let dive = try #require(facts["dive"] as? [String: Any])
    let json = try #require(dive["json"] as? [String: Any])
    let image = try #require(json["image"] as? [String: Any])
    let ci = try #require(dive["ci"] as? [String: Any])
    var counts: [String: Int] = [:]
    for item in image["fileReference"] as? [[String: Any]] ?? [] {
      if let file = item["file"] as? String { counts[file] = item["count"] as? Int }
    }
    return (
      try #require(image["efficiencyScore"] as? Double),
      Int64(try #require(image["inefficientBytes"] as? Int)),
      try #require(ci["userWastedPercent"] as? Double), counts
    )
  }

  @Test(arguments: cases)
  func `dive's figures agree`(testCase: Case) throws {
    let dive = try Self.diveFigures(testCase.fixture)
    let model = try Fixtures.model(testCase.fixture, testCase.reference)
    let ours = model.efficiency
    #expect(ours.wastedBytes == dive.wasted)
    #expect(abs(ours.userWastedPercent - dive.userPercent) < 0.0001)
    var counts: [String: Int] = [:]
    for item in ours.inefficiencies {
      counts[String(decoding: model.tree.path(of: item.node), as: UTF8.self)] = item.layerCount
    }
    #expect(counts == dive.paths)
    if testCase.hasOpaqueMarker {
      // dive skips the opaque marker; we count what it hides once, so our score is higher.
      #expect(ours.score > dive.score)
      #expect(ours.score - dive.score < 0.001)
    } else {
      #expect(abs(ours.score - dive.score) < 1e-9)
    }
  }
}
