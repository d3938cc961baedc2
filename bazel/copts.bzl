"""Compiler options shared by every ctxmem target."""

# Warnings that catch real bugs in allocator-level code; -Werror keeps them fixed.
CTXMEM_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wno-sign-compare",
    "-Wno-unused-parameter",
    "-Wnon-virtual-dtor",
    "-Wvla",
]

# Tests and benchmarks may use gtest/benchmark macros that trip -Wextra.
CTXMEM_TEST_COPTS = CTXMEM_COPTS + [
    "-Wno-missing-field-initializers",
]
