// Benchmark helpers, run by `make bench`. Build in release mode.
//   kapta-mock-bench serve-trivial PORT [LOOPS]   a server answering 200 to everything
import Glibc
import KaptaMock

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "serve-trivial":
    exit(serveTrivial(arguments: Array(arguments.dropFirst())))
default:
    print("usage: kapta-mock-bench serve-trivial PORT [LOOPS]")
    exit(2)
}
