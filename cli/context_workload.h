// A small agent-like workload that `ctxmem profile` runs beside the stress
// workload, so that the profile shows the components the stress workload
// does not use: an interner, a file cache, an arena and a buffer pool of an
// agent's own.
//
// Each turn interns a few tokens (intern::Interner), builds the turn's text
// in a request arena (arena::BumpArena, reset every 8 turns), streams output
// through a pool::BufferPool and reads a workspace file through an
// mmapcache::FileCache.

#ifndef CTXMEM_CLI_CONTEXT_WORKLOAD_H_
#define CTXMEM_CLI_CONTEXT_WORKLOAD_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "arena/bump_arena.h"
#include "intern/interner.h"
#include "mmapcache/file_cache.h"
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
  // "context.file_cache" (an mmapcache::FileCache over files it writes into
  // a temporary directory, removed by the destructor). The profiler must be
  // stopped before this object is destroyed.
  absl::Status RegisterSources(profiler::Profiler& profiler);

  // Runs turns on a background thread until Stop().
  void Start();
  void Stop();

  uint64_t turns() const { return turns_.load(std::memory_order_relaxed); }

 private:
  static constexpr int kFiles = 48;

  void Run();
  void Turn(uint64_t turn, uint64_t& random);

  intern::Interner interner_;      // thread-safe: sampled without the lock
  pool::BufferPool buffers_;       // streamed output; stats() may race with use by design
  mmapcache::FileCache files_;     // thread-safe: workspace files read by the agent
  std::string workspace_;          // a temporary directory holding kFiles files

  std::mutex mutex_;  // guards the arena
  arena::BumpArena arena_;

  std::atomic<uint64_t> turns_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ctxmem::cli

#endif  // CTXMEM_CLI_CONTEXT_WORKLOAD_H_
