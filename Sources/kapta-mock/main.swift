// The kapta-mock command. Everything testable lives in the KaptaMock library; this file
// only blocks the termination signals, before any thread exists, and runs the command.
import Glibc
import KaptaMock

KaptaMockCommand.blockTerminationSignals()
exit(KaptaMockCommand.main(arguments: Array(CommandLine.arguments.dropFirst())))
