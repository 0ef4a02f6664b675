// Entry of the TracegateHTTP fuzzer: libFuzzer's driver when built with -sanitize=fuzzer, else a replayer.
import CTracegateFuzzDriver
import Glibc

var fuzzArgc = CommandLine.argc
var fuzzArgv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let driverStatus = tg_fuzz_run_driver(&fuzzArgc, &fuzzArgv) { data, size in
  fuzzOne(data, size)
}
if driverStatus != -1 { exit(driverStatus) }

// Normal build: run every file (or every file of every directory) named on the command line once, so a
// crash artifact or the seed corpus can be replayed without the sanitizer toolchain.
exit(Replay.run(Array(CommandLine.arguments.dropFirst())))
