// swift-tools-version:6.0
import PackageDescription

// `make release` sets KAPTA_MOCK_STATIC_NGHTTP2=1 so the shipped binary carries libnghttp2
// inside it. The module map of the static variant has no `link` line: an autolinked
// `-lnghttp2` would come first on the link line and the shared library would win.
let linksNghttp2Statically = Context.environment["KAPTA_MOCK_STATIC_NGHTTP2"] == "1"

let nghttp2Target: Target = linksNghttp2Statically
    ? .systemLibrary(name: "CNghttp2", path: "Sources/CNghttp2Static")
    : .systemLibrary(
        name: "CNghttp2",
        path: "Sources/CNghttp2",
        pkgConfig: "libnghttp2",
        providers: [.apt(["libnghttp2-dev"])]
    )

let package = Package(
    name: "kapta-mock",
    products: [
        .library(name: "KaptaMock", targets: ["KaptaMock"]),
        .executable(name: "kapta-mock", targets: ["kapta-mock"]),
    ],
    targets: [
        .systemLibrary(name: "CLinuxShim", path: "Sources/CLinuxShim"),
        nghttp2Target,
        .target(
            name: "KaptaMock",
            dependencies: ["CLinuxShim", "CNghttp2"],
            linkerSettings: linksNghttp2Statically ? [.linkedLibrary(":libnghttp2.a")] : []
        ),
        .executableTarget(name: "kapta-mock", dependencies: ["KaptaMock"]),
        .executableTarget(name: "kapta-mock-fuzz", dependencies: ["KaptaMock"]),
        .executableTarget(name: "kapta-mock-bench", dependencies: ["KaptaMock"]),
        .testTarget(name: "KaptaMockTests", dependencies: ["KaptaMock"]),
    ]
)
