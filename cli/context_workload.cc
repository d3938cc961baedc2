#include "cli/context_workload.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
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

namespace {

std::string FilePath(const std::string& dir, int i) { return absl::StrCat(dir, "/file_", i, ".txt"); }

}  // namespace

// A 1 MiB budget with files of 1 to ~142 KiB: the cache evicts, and files
// above 64 KiB take the mapped path.
ContextWorkload::ContextWorkload()
    : files_(mmapcache::FileCacheOptions{.budget_bytes = size_t{1} << 20}) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                                     "/ctxmem-workspace-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) return;  // no files: reads fail and are skipped
  workspace_ = pattern;
  for (int i = 0; i < kFiles; ++i) {
    std::FILE* f = std::fopen(FilePath(workspace_, i).c_str(), "we");
    if (f == nullptr) continue;
    const std::string line = absl::StrCat("line of file ", i, "\n");
    for (size_t written = 0; written < 1024 + size_t(i) * 3000; written += line.size()) {
      std::fputs(line.c_str(), f);
    }
    std::fclose(f);
  }
}

ContextWorkload::~ContextWorkload() {
  Stop();
  if (workspace_.empty()) return;
  for (int i = 0; i < kFiles; ++i) std::remove(FilePath(workspace_, i).c_str());
  rmdir(workspace_.c_str());
}

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
                                      // Its symbol index is an anonymous mapping.
                                      return ComponentSample{
                                          .bytes_reserved = interner_.heap_bytes(),
                                          .bytes_mapped = interner_.mapped_bytes(),
                                          .bytes_used = interner_.used_bytes(),
                                          .hit_rate = std::nullopt};
                                    }}));
  status.Update(profiler.AddSource({"context.buffer_pool", [this] {
                                      const pool::BufferPoolStats stats = buffers_.stats();
                                      ComponentSample sample;
                                      sample.bytes_reserved = stats.idle_bytes;
                                      if (stats.acquires() > 0) sample.hit_rate = stats.hit_rate();
                                      return sample;
                                    }}));
  status.Update(profiler.AddSource({"context.file_cache", [this] {
                                      const mmapcache::FileCacheStats stats = files_.stats();
                                      const uint64_t reads = stats.hits + stats.misses;
                                      // Small files live in pooled heap buffers
                                      // (plus the pool's idle ones); large ones
                                      // in anonymous mappings (plus kept ones).
                                      return ComponentSample{
                                          .bytes_reserved =
                                              stats.bytes_slabs + stats.buffer_pool.idle_bytes,
                                          .bytes_mapped =
                                              stats.bytes_mapped + stats.bytes_idle_mappings,
                                          .bytes_used = stats.bytes_buffered + stats.bytes_mapped,
                                          .hit_rate = reads == 0 ? std::optional<double>()
                                                                 : double(stats.hits) / reads};
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
  // Streamed model output lands in a pooled buffer.
  {
    const size_t bytes = 512 + Next(random) % 8192;
    pool::PooledBuffer output = buffers_.Acquire(bytes);
    output->resize(bytes);
    std::memset(output->data(), 'o', bytes);
  }
  // A workspace file, small ones read more often.
  const int file = static_cast<int>(Next(random) % kFiles * (Next(random) % kFiles) / kFiles);
  if (absl::StatusOr<mmapcache::FileView> view = files_.Read(FilePath(workspace_, file));
      view.ok() && !view->bytes().empty()) {
    volatile char first = view->bytes()[0];
    (void)first;
  }
}

}  // namespace ctxmem::cli
