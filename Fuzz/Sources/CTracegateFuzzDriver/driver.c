// SwiftPM links every executable with `--defsym main=<module>_main`, so libFuzzer's own main() never runs.
// Instead the Swift top-level code calls LLVMFuzzerRunDriver, which -sanitize=fuzzer links in (whole
// archive). The reference is weak so the same target also links in a normal `swift build`.
#include "CTracegateFuzzDriver.h"

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t))
    __attribute__((weak));

int tg_fuzz_run_driver(int *argc, char ***argv, tg_fuzz_callback callback) {
  if (!LLVMFuzzerRunDriver) return -1;
  return LLVMFuzzerRunDriver(argc, argv, callback);
}
