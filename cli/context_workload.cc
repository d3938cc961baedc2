#include "cli/context_workload.h"

#include <chrono>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ctxmem::cli {
namespace {

uint64_t Next(uint64_t& state) {  // xorshift64*: cheap and allocation-free
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545F4914F6CDD1DULL;
}

}  // namespace

ContextWorkload::ContextWorkload() { cache_ids_.fill(-1); }

ContextWorkload::~ContextWorkload() { Stop(); }

absl::Status ContextWorkload::RegisterSources(profiler::Profiler& profiler) {
  using profiler::ComponentSample;
  absl::Status status = profiler.AddSource({"context.arena", [this] {
                                              std::lock_guard<std::mutex> lock(mutex_);
                                              return ComponentSample{
                                                  .bytes_reserved = arena_.reserved_bytes(),
                                                  .bytes_used = arena_.used_bytes(),
                                                  .hit_rate = std::nullopt};
                                            }});
  status.Update(profiler.AddSource({"context.interner", [this] {
                                      return ComponentSample{
                                          .bytes_reserved = interner_.reserved_bytes(),
                                          .bytes_used = interner_.used_bytes(),
                                          .hit_rate = std::nullopt};
                                    }}));
  status.Update(profiler.AddSource({"context.buffer_pool", [this] {
                                      const pool::BufferPoolStats stats = buffers_.stats();
                                      return ComponentSample{.bytes_reserved = stats.idle_bytes,
                                                             .bytes_used = 0,
                                                             .hit_rate = stats.hit_rate()};
                                    }}));
  status.Update(profiler.AddSource(
      {"context.file_cache", [this] {
         std::lock_guard<std::mutex> lock(mutex_);
         return ComponentSample{
             .bytes_reserved = cache_bytes_,
             .bytes_used = cache_bytes_,
             .hit_rate = cache_lookups_ == 0 ? 0.0 : double(cache_hits_) / cache_lookups_};
       }}));
  return status;
}

void ContextWorkload::Start() {
  if (thread_.joinable()) return;
  stop_.store(false, std::memory_order_relaxed);
  thread_ = std::thread([this] { Run(); });
}

void ContextWorkload::Stop() {
  if (!thread_.joinable()) return;
  stop_.store(true, std::memory_order_relaxed);
  thread_.join();
}

void ContextWorkload::Run() {
  uint64_t random = 0x9E3779B97F4A7C15ULL;
  for (uint64_t turn = 0; !stop_.load(std::memory_order_relaxed); ++turn) {
    Turn(turn, random);
    turns_.store(turn + 1, std::memory_order_relaxed);
    // An agent waits on the model most of the time; so does this.
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

void ContextWorkload::Turn(uint64_t turn, uint64_t& random) {
  // Vocabulary grows with the conversation: later turns reach further.
  const uint64_t vocabulary = 1000 + turn * 8;
  for (int i = 0; i < 16; ++i) {
    interner_.Intern(absl::StrCat("token_", Next(random) % vocabulary));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (turn % 8 == 0) arena_.Reset();
  for (int i = 0; i < 4; ++i) {
    const size_t bytes = 256 + Next(random) % 16384;
    if (void* text = arena_.Allocate(bytes)) std::memset(text, 'm', bytes);
  }
  // Files: 48 of them for 32 slots, small ones read more often.
  const int file = static_cast<int>(Next(random) % 48 * (Next(random) % 48) / 48);
  const int slot = file % kCacheSlots;
  ++cache_lookups_;
  if (cache_ids_[slot] == file) {
    ++cache_hits_;
    return;
  }
  if (cache_[slot]) cache_bytes_ -= cache_[slot]->capacity();
  cache_[slot].Release();
  const size_t size = 1024 + static_cast<size_t>(file) * 1200;  // up to ~57 KiB
  pool::PooledBuffer buffer = buffers_.Acquire(size);
  buffer->resize(size);
  std::memset(buffer->data(), 'f', size);
  cache_bytes_ += buffer->capacity();
  cache_[slot] = std::move(buffer);
  cache_ids_[slot] = file;
}

}  // namespace ctxmem::cli
