// Benchmark helpers, run by `make bench`. Build in release mode.
//   kapta-mock-bench serve-trivial PORT [LOOPS]   a server answering 200 to everything
//   kapta-mock-bench kapta [ITERATIONS]           ns per JSON bind and per KaptaAPI.handle (JSON, XML)
import Glibc
import KaptaMock

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "serve-trivial":
    exit(serveTrivial(arguments: Array(arguments.dropFirst())))
case "kapta":
    exit(benchmarkKapta(arguments: Array(arguments.dropFirst())))
default:
    print("usage: kapta-mock-bench serve-trivial PORT [LOOPS] | kapta [ITERATIONS]")
    exit(2)
}
