// CRC-32C (Castagnoli) with the SSE4.2 CRC32 instruction.
//
// Only the hardware path lives here; the portable table-driven fallback is pure Swift
// (KafkaRecords/CRC32C.swift). The target is compiled without -msse4.2: the one function that
// uses the instruction carries __attribute__((target("sse4.2"))), and callers check
// martlet_crc32c_hardware_available() first, so the library stays loadable on any x86-64 CPU.
//
// Large buffers are processed as three interleaved streams (the CRC32 instruction has a latency
// of 3 cycles and a throughput of 1 per cycle), and the three partial registers are merged by
// multiplying by x^(8 * block) modulo the polynomial, done with 4 x 256-entry tables built once.

#include "CCRC32C.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>
#define MARTLET_CRC32C_X86 1
#endif

/// Reflected Castagnoli polynomial.
#define CASTAGNOLI 0x82F63B78u
/// Block sizes of the three-way interleaved loops (bytes per stream).
#define LONG_BLOCK 8192u
#define SHORT_BLOCK 256u

/// a(x) * b(x) mod P(x), both reflected, `a` non-zero.
static uint32_t gf2_multiply(uint32_t a, uint32_t b) {
    uint32_t mask = 1u << 31;
    uint32_t product = 0;
    for (;;) {
        if (a & mask) {
            product ^= b;
            if ((a & (mask - 1)) == 0) {
                break;
            }
        }
        mask >>= 1;
        b = (b & 1) ? (b >> 1) ^ CASTAGNOLI : b >> 1;
    }
    return product;
}

/// x^(2^k) mod P for k in 0..<32.
static uint32_t x_pow_2k[32];
static uint32_t long_shift[4][256];
static uint32_t short_shift[4][256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/// x^(8 * length) mod P.
static uint32_t x_pow_8n(uint64_t length) {
    uint32_t p = 1u << 31;  // x^0
    unsigned k = 3;         // 8 = 2^3
    while (length) {
        if (length & 1) {
            p = gf2_multiply(x_pow_2k[k & 31], p);
        }
        length >>= 1;
        k++;
    }
    return p;
}

static void build_shift_table(uint32_t table[4][256], uint32_t op) {
    for (unsigned byte = 0; byte < 4; byte++) {
        for (uint32_t value = 0; value < 256; value++) {
            table[byte][value] = gf2_multiply(op, value << (8 * byte));
        }
    }
}

static void build_tables(void) {
    uint32_t p = 1u << 30;  // x^1
    x_pow_2k[0] = p;
    for (int k = 1; k < 32; k++) {
        p = gf2_multiply(p, p);
        x_pow_2k[k] = p;
    }
    build_shift_table(long_shift, x_pow_8n(LONG_BLOCK));
    build_shift_table(short_shift, x_pow_8n(SHORT_BLOCK));
}

static inline uint32_t apply_shift(uint32_t table[4][256], uint32_t crc) {
    return table[0][crc & 0xff] ^ table[1][(crc >> 8) & 0xff] ^ table[2][(crc >> 16) & 0xff]
        ^ table[3][crc >> 24];
}

uint32_t martlet_crc32c_shift(uint32_t crc, uint64_t length) {
    pthread_once(&tables_once, build_tables);
    if (crc == 0) {
        return 0;
    }
    return gf2_multiply(x_pow_8n(length), crc);
}

#if MARTLET_CRC32C_X86

int martlet_crc32c_hardware_available(void) {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    return (ecx & bit_SSE4_2) ? 1 : 0;
}

static inline uint64_t load_u64(const unsigned char *p) {
    uint64_t value;
    memcpy(&value, p, sizeof value);
    return value;
}

__attribute__((target("sse4.2")))
uint32_t martlet_crc32c_hardware(uint32_t crc, const void *bytes, size_t length) {
    pthread_once(&tables_once, build_tables);
    const unsigned char *next = (const unsigned char *)bytes;
    uint64_t crc0 = (uint32_t)~crc;

    while (length > 0 && ((uintptr_t)next & 7) != 0) {
        crc0 = _mm_crc32_u8((uint32_t)crc0, *next);
        next++;
        length--;
    }
    while (length >= 3 * LONG_BLOCK) {
        uint64_t crc1 = 0, crc2 = 0;
        const unsigned char *end = next + LONG_BLOCK;
        do {
            crc0 = _mm_crc32_u64(crc0, load_u64(next));
            crc1 = _mm_crc32_u64(crc1, load_u64(next + LONG_BLOCK));
            crc2 = _mm_crc32_u64(crc2, load_u64(next + 2 * LONG_BLOCK));
            next += 8;
        } while (next < end);
        crc0 = apply_shift(long_shift, (uint32_t)crc0) ^ crc1;
        crc0 = apply_shift(long_shift, (uint32_t)crc0) ^ crc2;
        next += 2 * LONG_BLOCK;
        length -= 3 * LONG_BLOCK;
    }
    while (length >= 3 * SHORT_BLOCK) {
        uint64_t crc1 = 0, crc2 = 0;
        const unsigned char *end = next + SHORT_BLOCK;
        do {
            crc0 = _mm_crc32_u64(crc0, load_u64(next));
            crc1 = _mm_crc32_u64(crc1, load_u64(next + SHORT_BLOCK));
            crc2 = _mm_crc32_u64(crc2, load_u64(next + 2 * SHORT_BLOCK));
            next += 8;
        } while (next < end);
        crc0 = apply_shift(short_shift, (uint32_t)crc0) ^ crc1;
        crc0 = apply_shift(short_shift, (uint32_t)crc0) ^ crc2;
        next += 2 * SHORT_BLOCK;
        length -= 3 * SHORT_BLOCK;
    }
    while (length >= 8) {
        crc0 = _mm_crc32_u64(crc0, load_u64(next));
        next += 8;
        length -= 8;
    }
    while (length > 0) {
        crc0 = _mm_crc32_u8((uint32_t)crc0, *next);
        next++;
        length--;
    }
    return ~(uint32_t)crc0;
}

#else

int martlet_crc32c_hardware_available(void) { return 0; }

uint32_t martlet_crc32c_hardware(uint32_t crc, const void *bytes, size_t length) {
    // Never selected on this architecture; kept correct (bitwise) rather than trapping.
    const unsigned char *next = (const unsigned char *)bytes;
    uint32_t reg = ~crc;
    while (length--) {
        reg ^= *next++;
        for (int bit = 0; bit < 8; bit++) {
            reg = (reg & 1) ? (reg >> 1) ^ CASTAGNOLI : reg >> 1;
        }
    }
    return ~reg;
}

#endif
