// The fixed workload that alloc/measure_overhead.sh runs under callgrind, once
// in a binary with //alloc:tracking and once without, to count the
// instructions tracking adds.

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "alloc/internal/workload.h"

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 200;
  uint64_t sum = 0;
  for (int i = 0; i < rounds; ++i) {
    sum += ctxmem::alloc::internal::RunHistoryWorkload<std::allocator>(300, uint32_t(i + 1));
  }
  std::printf("checksum %llu\n", static_cast<unsigned long long>(sum));
  return 0;
}
