// Runs libFuzzer's driver when the binary was linked with -sanitize=fuzzer, and tells the caller when not.
#ifndef CTRACEGATE_FUZZ_DRIVER_H
#define CTRACEGATE_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

typedef int (*tg_fuzz_callback)(const uint8_t *data, size_t size);

/// Calls LLVMFuzzerRunDriver(argc, argv, callback) when libFuzzer is linked in and returns its result;
/// returns -1 without doing anything in a normal build (the symbol is referenced weakly).
int tg_fuzz_run_driver(int *argc, char ***argv, tg_fuzz_callback callback);

#endif
