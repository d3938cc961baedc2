// A small agent-like workload that `ctxmem profile` runs beside the stress
// workload, so that the profile has components to show: stress::RunStress
// keeps its arenas and pools to itself (and stress/ is not the CLI's to
// change), while these the CLI owns and can register as profiler sources.
//
// Each turn interns a few tokens (intern::Interner), builds the turn's text
// in a request arena (arena::BumpArena, reset every 8 turns) and reads a
// "file" through a direct-mapped file cache whose contents are buffers from
// a pool::BufferPool.

#ifndef CTXMEM_CLI_CONTEXT_WORKLOAD_H_
#define CTXMEM_CLI_CONTEXT_WORKLOAD_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "arena/bump_arena.h"
#include "intern/interner.h"
#include "pool/buffer_pool.h"
#include "profiler/profiler.h"

namespace ctxmem::cli {

class ContextWorkload {
 public:
  ContextWorkload();
  ContextWorkload(const ContextWorkload&) = delete;
  ContextWorkload& operator=(const ContextWorkload&) = delete;
  ~ContextWorkload();  // stops

  // Registers "context.arena", "context.interner", "context.buffer_pool" and
  // "context.file_cache". The profiler must be stopped before this object
  // is destroyed.
  absl::Status RegisterSources(profiler::Profiler& profiler);

  // Runs turns on a background thread until Stop().
  void Start();
  void Stop();

  uint64_t turns() const { return turns_.load(std::memory_order_relaxed); }

 private:
  static constexpr int kCacheSlots = 32;

  void Run();
  void Turn(uint64_t turn, uint64_t& random);

  intern::Interner interner_;  // thread-safe: sampled without the lock
  pool::BufferPool buffers_;   // stats() may race with use by design

  std::mutex mutex_;  // guards the arena and the file cache
  arena::BumpArena arena_;
  std::array<pool::PooledBuffer, kCacheSlots> cache_;
  std::array<int, kCacheSlots> cache_ids_;
  uint64_t cache_lookups_ = 0;
  uint64_t cache_hits_ = 0;
  uint64_t cache_bytes_ = 0;  // capacities of the cached buffers

  std::atomic<uint64_t> turns_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ctxmem::cli

#endif  // CTXMEM_CLI_CONTEXT_WORKLOAD_H_
