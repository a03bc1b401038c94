#ifndef MARTLET_CCRC32C_H
#define MARTLET_CCRC32C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Returns 1 if this CPU has the SSE4.2 CRC32 instruction (checked once with CPUID), else 0.
/// Thread-safe.
int martlet_crc32c_hardware_available(void);

/// Updates a CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) over `length` bytes.
///
/// `crc` is a finished checksum (0 to start); the result is the finished checksum of the
/// concatenation, i.e. `update(update(0, a), b) == update(0, a ++ b)`.
/// Must only be called when `martlet_crc32c_hardware_available()` returned 1.
/// Large buffers run three interleaved CRC32 streams combined with precomputed shift tables.
/// Thread-safe; reads `bytes[0..<length]` only.
uint32_t martlet_crc32c_hardware(uint32_t crc, const void *bytes, size_t length);

/// Multiplies a raw CRC register by x^(8 * length) modulo the Castagnoli polynomial, i.e. the
/// register after feeding `length` zero bytes without pre/post conditioning. Exposed for tests.
uint32_t martlet_crc32c_shift(uint32_t crc, uint64_t length);

#ifdef __cplusplus
}
#endif

#endif
