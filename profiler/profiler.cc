#include "profiler/profiler.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "alloc/stats.h"
#include "profiler/process_memory.h"

namespace ctxmem::profiler {
namespace {

// ReadProcessMemory() uses fopen, whose FILE lives on the heap; a sample must
// not allocate, so read the file with raw syscalls into a stack buffer.
bool ReadProcessMemoryNoAlloc(ProcessMemory* memory) {
  int fd;
  do {
    fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return false;
  char text[8192];
  size_t n = 0;
  while (n < sizeof(text) - 1) {
    const ssize_t r = ::read(fd, text + n, sizeof(text) - 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += static_cast<size_t>(r);
  }
  ::close(fd);
  text[n] = '\0';
  // Parsing only allocates on failure (for the error message).
  absl::StatusOr<ProcessMemory> parsed = ParseProcessStatus(text);
  if (!parsed.ok()) return false;
  *memory = *parsed;
  return true;
}

}  // namespace

Profiler::Profiler(ProfilerOptions options)
    : options_(options), epoch_(std::chrono::steady_clock::now()), ring_(options.capacity) {
  sources_.reserve(kMaxSources);
}

Profiler::~Profiler() { Stop(); }

absl::Status Profiler::AddSource(MemorySource source) {
  if (started_) return absl::FailedPreconditionError("AddSource after Start");
  if (source.name.empty() || !source.sample) {
    return absl::InvalidArgumentError("a source needs a name and a sampling function");
  }
  if (sources_.size() >= kMaxSources) {
    return absl::ResourceExhaustedError(
        absl::StrCat("at most ", kMaxSources, " sources; cannot add '", source.name, "'"));
  }
  sources_.push_back(std::move(source));
  return absl::OkStatus();
}

void Profiler::Start() {
  if (thread_.joinable()) return;
  started_ = true;
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stop_ = false;
  }
  Sample();
  thread_ = std::thread([this] { Run(); });
}

void Profiler::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
  Sample();
}

void Profiler::Run() {
  std::unique_lock<std::mutex> lock(stop_mutex_);
  // Steady deadlines, so the cost of a sample does not stretch the interval.
  auto next = std::chrono::steady_clock::now() + options_.interval;
  while (!stop_cv_.wait_until(lock, next, [this] { return stop_; })) {
    lock.unlock();
    Sample();
    lock.lock();
    next += options_.interval;
    const auto now = std::chrono::steady_clock::now();
    if (next < now) next = now + options_.interval;  // fell behind: skip, don't burst
  }
}

Snapshot Profiler::TakeSnapshot() const {
  Snapshot s;
  s.time_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::steady_clock::now() - epoch_)
                  .count();
  const alloc::AllocationStats heap = alloc::GlobalStats();
  s.tracked_live_bytes = heap.live_bytes;
  s.tracked_peak_bytes = heap.peak_bytes;
  s.tracked_allocations = heap.allocations;
  s.process_ok = ReadProcessMemoryNoAlloc(&s.process);
  s.num_components = static_cast<int>(sources_.size());
  for (size_t i = 0; i < sources_.size(); ++i) s.components[i] = sources_[i].sample();
  return s;
}

void Profiler::Sample() {
  const Snapshot s = TakeSnapshot();
  std::lock_guard<std::mutex> lock(ring_mutex_);
  ring_.Push(s);
}

Profile Profiler::Collect() const {
  Profile profile;
  profile.interval = options_.interval;
  for (const MemorySource& source : sources_) profile.components.push_back(source.name);
  std::lock_guard<std::mutex> lock(ring_mutex_);
  profile.snapshots = ring_.ToVector();
  profile.samples = ring_.pushed();
  return profile;
}

uint64_t Profiler::samples() const {
  std::lock_guard<std::mutex> lock(ring_mutex_);
  return ring_.pushed();
}

size_t Profiler::reserved_bytes() const {
  size_t bytes = ring_.reserved_bytes() + sources_.capacity() * sizeof(MemorySource);
  for (const MemorySource& source : sources_) bytes += source.name.capacity();
  return bytes;
}

}  // namespace ctxmem::profiler
