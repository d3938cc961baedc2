#include "stress/stress_workload.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "arena/bump_arena.h"
#include "arena/generational_arena.h"
#include "arena/request_scope.h"

namespace ctxmem::stress {
namespace {

// What a pooled object looks like in the assistant: a message being built.
struct Message {
  std::string role;
  std::string content;
  std::vector<uint32_t> token_ids;
};

// Clears a message for reuse and refuses one that grew large, so that one big
// tool result cannot pin its memory in the pool.
struct MessagePolicy {
  static constexpr size_t kMaxRetainedBytes = 64 * 1024;
  Message Create() const { return Message(); }
  bool Reset(Message& m) const noexcept {
    if (m.content.capacity() > kMaxRetainedBytes ||
        m.token_ids.capacity() * sizeof(uint32_t) > kMaxRetainedBytes) {
      return false;
    }
    m.role.clear();
    m.content.clear();
    m.token_ids.clear();
    return true;
  }
};

using MessagePool = pool::ObjectPool<Message, MessagePolicy>;

// An arena object with a destructor: RequestScope must run it.
struct Note {
  explicit Note(std::atomic<uint64_t>* destroyed) : destroyed(destroyed) {}
  ~Note() { destroyed->fetch_add(1, std::memory_order_relaxed); }
  std::atomic<uint64_t>* destroyed;
  std::string text = std::string(48, 'n');
};

struct Block {
  unsigned char* data;
  uint32_t size;
  unsigned char fill;
};

// A worker's request arena, as the profiler sees it: published after each
// request (the arena itself belongs to the worker thread).
struct alignas(64) ArenaFigures {
  std::atomic<uint64_t> reserved{0};
  std::atomic<uint64_t> used{0};
};

struct ThreadResult {
  uint64_t allocations = 0;
  uint64_t requests = 0;
  uint64_t corruptions = 0;
  uint64_t arena_allocations = 0;
  uint64_t upstream_total = 0;
  uint64_t upstream_warm = 0;
  uint64_t warm_requests = 0;
  uint64_t peak_used = 0;
  uint64_t reserved = 0;
  uint64_t handle_inserts = 0;
  uint64_t stale_checks = 0;
};

class Worker {
 public:
  Worker(uint64_t budget, uint32_t seed, MessagePool& messages, pool::BufferPool& buffers,
         ArenaFigures& figures)
      : budget_(budget), rng_(seed), messages_(messages), buffers_(buffers), figures_(figures) {}

  ThreadResult Run() {
    arena::BumpArena& arena = arena::ThreadArena();
    const uint64_t upstream_at_start = arena.upstream_allocations();
    const uint64_t warm_after = std::max<uint64_t>(1, budget_ / 2);
    uint64_t upstream_at_warm = 0;
    bool warm = false;
    while (result_.allocations < budget_) {
      if (!warm && result_.allocations >= warm_after) {
        warm = true;
        upstream_at_warm = arena.upstream_allocations();
      }
      Request(arena);
      ++result_.requests;
      if (warm) ++result_.warm_requests;
    }
    result_.upstream_total = arena.upstream_allocations() - upstream_at_start;
    result_.upstream_warm = warm ? arena.upstream_allocations() - upstream_at_warm : 0;
    result_.reserved = arena.reserved_bytes();
    return result_;
  }

 private:
  uint32_t Uniform(uint32_t lo, uint32_t hi) { return lo + rng_() % (hi - lo + 1); }

  void Fill(std::vector<Block>& blocks, arena::BumpArena& arena, uint32_t size, uint32_t align) {
    auto* p = static_cast<unsigned char*>(arena.Allocate(size, align));
    if (p == nullptr) {
      ++result_.corruptions;  // the default arena has no limit: this must not happen
      return;
    }
    const auto fill = static_cast<unsigned char>(rng_());
    std::memset(p, fill, size);
    blocks.push_back({p, size, fill});
    ++result_.arena_allocations;
    ++result_.allocations;
  }

  void Check(const std::vector<Block>& blocks) {
    for (const Block& b : blocks) {
      // First, middle and last byte: a full scan would dominate the run.
      if (b.data[0] != b.fill || b.data[b.size / 2] != b.fill || b.data[b.size - 1] != b.fill) {
        ++result_.corruptions;
      }
    }
  }

  void Request(arena::BumpArena& arena) {
    arena::RequestScope scope(arena);
    std::vector<Block>& outer = outer_blocks_;
    outer.clear();
    const uint32_t count = Uniform(32, 160);
    for (uint32_t i = 0; i < count; ++i) Fill(outer, arena, Uniform(16, 256), 8);
    if (rng_() % 64 == 0) Fill(outer, arena, 256 * 1024, 64);  // a file read whole
    for (int i = 0; i < 4; ++i) arena.New<Note>(&notes_destroyed_);
    notes_made_ += 4;
    {
      arena::RequestScope inner(arena);  // a tool call inside the request
      std::vector<Block>& nested = inner_blocks_;
      nested.clear();
      const uint32_t n = Uniform(8, 64);
      for (uint32_t i = 0; i < n; ++i) Fill(nested, arena, Uniform(16, 512), 16);
      Check(nested);
    }
    Check(outer);  // the inner scope must not have touched the outer data

    UseMessagePool();
    for (uint32_t i = Uniform(1, 4); i > 0; --i) UseBufferPool();
    UseHandles();
    Check(outer);
    result_.peak_used = std::max<uint64_t>(result_.peak_used, arena.used_bytes());
    // Still inside the request's scope: what the request holds at its end.
    figures_.reserved.store(arena.reserved_bytes(), std::memory_order_relaxed);
    figures_.used.store(arena.used_bytes(), std::memory_order_relaxed);
  }

  void UseMessagePool() {
    const uint32_t n = Uniform(1, 8);
    for (uint32_t i = 0; i < n; ++i) {
      auto m = messages_.Acquire();
      ++result_.allocations;
      if (!m->role.empty() || !m->content.empty() || !m->token_ids.empty()) ++result_.corruptions;
      m->role = "assistant";
      // Now and then a huge tool result, which the policy must refuse.
      const size_t length = rng_() % 200 == 0 ? 100000 : Uniform(20, 2000);
      m->content.assign(length, 'c');
      m->token_ids.resize(length / 4, 7);
    }
  }

  void UseBufferPool() {
    // The mixed trace: 80% 4 KiB, 18% 64 KiB, 2% 1 MiB; 1% grow fourfold.
    const uint32_t dice = rng_() % 100;
    const size_t hint = dice < 80 ? 4096 : dice < 98 ? 65536 : 1 << 20;
    pool::PooledBuffer buffer = buffers_.Acquire(hint);
    ++result_.allocations;
    if (!buffer->empty()) ++result_.corruptions;
    size_t size = std::min<size_t>(hint, 8192);
    if (rng_() % 100 == 0) size = hint * 4;
    buffer->resize(size);
    for (size_t i = 0; i < size; i += 4096) (*buffer)[i] = 'b';
    (*buffer)[size - 1] = 'e';
    if ((*buffer)[0] != 'b' || (*buffer)[size - 1] != 'e') ++result_.corruptions;
  }

  void UseHandles() {
    for (int i = 0; i < 2; ++i) {
      live_handles_.push_back(handles_.Insert(uint64_t(rng_())));
      ++result_.handle_inserts;
      ++result_.allocations;
    }
    while (live_handles_.size() > 64) {
      const size_t victim = rng_() % live_handles_.size();
      const arena::Handle h = live_handles_[victim];
      live_handles_[victim] = live_handles_.back();
      live_handles_.pop_back();
      if (!handles_.Remove(h)) ++result_.corruptions;
      dead_handles_[dead_next_++ % dead_handles_.size()] = h;
    }
    for (const arena::Handle& h : dead_handles_) {
      if (h.is_null()) continue;
      ++result_.stale_checks;
      if (handles_.Get(h) != nullptr) ++result_.corruptions;
    }
  }

 public:
  uint64_t notes_made() const { return notes_made_; }
  uint64_t notes_destroyed() const { return notes_destroyed_.load(); }

 private:
  uint64_t budget_;
  std::mt19937 rng_;
  MessagePool& messages_;
  pool::BufferPool& buffers_;
  ArenaFigures& figures_;
  ThreadResult result_;
  std::vector<Block> outer_blocks_;
  std::vector<Block> inner_blocks_;
  arena::GenerationalArena<uint64_t> handles_;
  std::vector<arena::Handle> live_handles_;
  std::vector<arena::Handle> dead_handles_ = std::vector<arena::Handle>(16);
  size_t dead_next_ = 0;
  std::atomic<uint64_t> notes_destroyed_{0};
  uint64_t notes_made_ = 0;
};

}  // namespace

struct StressWorkload::State {
  explicit State(const StressOptions& o)
      : options(o),
        threads(std::max(1, o.threads)),
        messages(pool::ObjectPoolOptions{.max_idle = 64}),
        figures(std::make_unique<ArenaFigures[]>(threads)) {}

  const StressOptions options;
  const int threads;
  MessagePool messages;
  pool::BufferPool buffers;
  std::unique_ptr<ArenaFigures[]> figures;  // one per worker
};

StressWorkload::StressWorkload(const StressOptions& options)
    : state_(std::make_unique<State>(options)) {}

StressWorkload::~StressWorkload() = default;

absl::Status StressWorkload::RegisterSources(profiler::Profiler& profiler) {
  State* state = state_.get();
  absl::Status status = profiler.AddSource({"stress.arenas", [state] {
    profiler::ComponentSample sample;
    for (int t = 0; t < state->threads; ++t) {
      sample.bytes_reserved += state->figures[t].reserved.load(std::memory_order_relaxed);
      sample.bytes_used += state->figures[t].used.load(std::memory_order_relaxed);
    }
    return sample;
  }});
  // A hit rate only once there was an acquire.
  status.Update(profiler.AddSource({"stress.object_pool", [state] {
    const pool::ObjectPoolStats stats = state->messages.stats();
    profiler::ComponentSample sample;
    sample.bytes_reserved = state->messages.idle() * sizeof(Message);
    if (stats.acquires() > 0) sample.hit_rate = stats.hit_rate();
    return sample;
  }}));
  status.Update(profiler.AddSource({"stress.buffer_pool", [state] {
    const pool::BufferPoolStats stats = state->buffers.stats();
    profiler::ComponentSample sample;
    sample.bytes_reserved = stats.idle_bytes;
    if (stats.acquires() > 0) sample.hit_rate = stats.hit_rate();
    return sample;
  }}));
  return status;
}

StressReport StressWorkload::Run() {
  State& state = *state_;
  const StressOptions& options = state.options;
  const int threads = state.threads;
  std::vector<ThreadResult> results(threads);
  std::vector<uint64_t> leaked_notes(threads);
  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        Worker worker(options.allocations / threads + (t < int(options.allocations % threads)),
                      options.seed * 7919 + uint32_t(t), state.messages, state.buffers,
                      state.figures[t]);
        results[t] = worker.Run();
        leaked_notes[t] = worker.notes_made() - worker.notes_destroyed();
      });
    }
    for (auto& w : workers) w.join();
  }
  const auto end = std::chrono::steady_clock::now();
  // The workers' arenas went with their threads.
  for (int t = 0; t < threads; ++t) {
    state.figures[t].reserved.store(0, std::memory_order_relaxed);
    state.figures[t].used.store(0, std::memory_order_relaxed);
  }

  StressReport report;
  report.threads = threads;
  report.seconds = std::chrono::duration<double>(end - start).count();
  for (int t = 0; t < threads; ++t) {
    const ThreadResult& r = results[t];
    report.allocations += r.allocations;
    report.requests += r.requests;
    report.corruptions += r.corruptions + leaked_notes[t];
    report.arena_allocations += r.arena_allocations;
    report.arena_upstream_allocations += r.upstream_total;
    report.arena_upstream_allocations_warm += r.upstream_warm;
    report.arena_warm_requests += r.warm_requests;
    report.arena_reserved_bytes += r.reserved;
    report.arena_peak_used_bytes = std::max(report.arena_peak_used_bytes, r.peak_used);
    report.handle_inserts += r.handle_inserts;
    report.stale_handle_checks += r.stale_checks;
  }
  report.object_pool = state.messages.stats();
  report.object_pool_idle = state.messages.idle();
  report.buffer_pool = state.buffers.stats();
  return report;
}

StressReport RunStress(const StressOptions& options) { return StressWorkload(options).Run(); }

}  // namespace ctxmem::stress
