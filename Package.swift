// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "layerscope",
  products: [
    .executable(name: "layerscope", targets: ["layerscope"])
  ],
  targets: [
    .systemLibrary(
      name: "CArchive", path: "Sources/CArchive", pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"])]),
    .systemLibrary(
      name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]),
    .systemLibrary(
      name: "CCurses", path: "Sources/CCurses",
      providers: [.apt(["libncursesw5-dev"])]),
    .target(name: "LayerCore", dependencies: ["CArchive", "CCrypto"]),
    .target(name: "LayerUI", dependencies: ["LayerCore"]),
    .target(name: "LayerTerminal", dependencies: ["LayerUI", "CCurses"]),
    .executableTarget(
      name: "layerscope", dependencies: ["LayerCore", "LayerUI", "LayerTerminal"]),
    .testTarget(name: "LayerCoreTests", dependencies: ["LayerCore"]),
    .testTarget(
      name: "LayerUITests", dependencies: ["LayerUI", "LayerCore"], exclude: ["Golden"]),
  ],
  swiftLanguageModes: [.v6]
)
