// Microbenchmarks of the hot paths, run by `make bench`. Build in release mode.
import KaptaMock

print("kapta-mock-bench: no benchmarks yet")
