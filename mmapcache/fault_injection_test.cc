// Fault injection: another process truncates, rewrites (in place and by
// rename) and deletes files while threads read them through the cache. The
// cache never maps a file (it preads snapshots), so nothing may crash; every
// view must be internally consistent, and no view may be staler than the
// validity window.
//
// File format: 64-byte records, each "g<20-digit generation>....\n". A writer
// writes all records of one generation with one write(); records divide the
// page size, so even a reader racing an in-place rewrite sees whole records of
// one generation (Linux publishes i_size after each page is copied), which is
// what the consistency check demands.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "mmapcache/file_cache.h"

namespace ctxmem::mmapcache {
namespace {

constexpr int kFiles = 6;
constexpr size_t kRecord = 64;
constexpr int64_t kWindowNs = 20'000'000;
constexpr int64_t kMarginNs = 30'000'000;  // coarse clock tick + scheduling slack
constexpr int64_t kRunNs = 1'500'000'000;

int64_t MonoNowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// Shared with the child through a MAP_SHARED anonymous mapping.
struct Shared {
  // Per file: the last generation whose operation completed, and when.
  std::atomic<uint64_t> gen[kFiles];
  std::atomic<int64_t> done_ns[kFiles];
  std::atomic<uint64_t> ops;
  std::atomic<bool> stop;
};

void FormatRecord(char* rec, uint64_t gen) {
  rec[0] = 'g';
  for (int d = 20; d >= 1; --d, gen /= 10) rec[d] = static_cast<char>('0' + gen % 10);
  std::memset(rec + 21, '.', kRecord - 22);
  rec[kRecord - 1] = '\n';
}

// Content for `gen` into `buf` (records * kRecord bytes). No allocation: the
// child calls it.
void FormatContent(char* buf, size_t records, uint64_t gen) {
  FormatRecord(buf, gen);
  for (size_t r = 1; r < records; ++r) std::memcpy(buf + r * kRecord, buf, kRecord);
}

// Empty, or whole records all equal; the generation in *gen.
bool Consistent(std::string_view bytes, uint64_t* gen) {
  *gen = 0;
  if (bytes.empty()) return true;
  if (bytes.size() % kRecord != 0 || bytes[0] != 'g') return false;
  for (size_t off = kRecord; off < bytes.size(); off += kRecord) {
    if (bytes.compare(off, kRecord, bytes.substr(0, kRecord)) != 0) return false;
  }
  for (int d = 1; d <= 20; ++d) *gen = *gen * 10 + static_cast<uint64_t>(bytes[d] - '0');
  return true;
}

struct Files {
  std::string paths[kFiles];
  std::string tmps[kFiles];
  size_t records[kFiles];
};

// The child: only raw system calls and stores to memory, then _exit. Safe
// after fork even in a sanitizer runtime.
[[noreturn]] void ChildLoop(const Files& files, Shared* shared, char* buf) {
  uint64_t rng = 0x9E3779B97F4A7C15ull;
  uint64_t next_gen[kFiles];
  for (int i = 0; i < kFiles; ++i) next_gen[i] = 2;
  const int64_t end = MonoNowNs() + kRunNs;
  while (!shared->stop.load(std::memory_order_relaxed) && MonoNowNs() < end) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    const int i = static_cast<int>((rng >> 33) % kFiles);
    const int op = static_cast<int>((rng >> 40) % 8);  // rewrites are the common case
    const uint64_t gen = next_gen[i]++;
    const char* path = files.paths[i].c_str();
    const size_t bytes = files.records[i] * kRecord;
    if (op == 0) {
      syscall(SYS_truncate, path, 0);
    } else if (op == 1) {
      syscall(SYS_unlink, path);
    } else if (op <= 4) {
      FormatContent(buf, files.records[i], gen);
      const long fd = syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        syscall(SYS_write, fd, buf, bytes);
        syscall(SYS_close, fd);
      }
    } else {
      FormatContent(buf, files.records[i], gen);
      const char* tmp = files.tmps[i].c_str();
      const long fd = syscall(SYS_openat, AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        syscall(SYS_write, fd, buf, bytes);
        syscall(SYS_close, fd);
        syscall(SYS_rename, tmp, path);
      }
    }
    shared->done_ns[i].store(MonoNowNs(), std::memory_order_release);
    shared->gen[i].store(gen, std::memory_order_release);
    shared->ops.fetch_add(1, std::memory_order_relaxed);
    // Mostly back-to-back; now and then a lull longer than the window, so
    // readers get to check staleness against a settled generation.
    const timespec pause = {0, (rng >> 20) % 16 == 0 ? 80'000'000 : 200'000};
    syscall(SYS_nanosleep, &pause, nullptr);
  }
  _exit(0);
}

std::string TempDir(const char* name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string d = std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
  std::string cmd = "rm -rf '" + d + "' && mkdir -p '" + d + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return d;
}

void WriteGeneration(const std::string& path, size_t records, uint64_t gen) {
  std::string content(records * kRecord, '\0');
  FormatContent(content.data(), records, gen);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

TEST(FaultInjectionTest, ChildTruncatesRewritesAndDeletesWhileThreadsRead) {
  const std::string dir = TempDir("fault");
  Files files;
  size_t max_bytes = 0;
  for (int i = 0; i < kFiles; ++i) {
    files.paths[i] = dir + "/f" + std::to_string(i);
    files.tmps[i] = dir + "/.f" + std::to_string(i) + ".tmp";
    // Half small (heap buffers), half large (anonymous maps).
    files.records[i] = i % 2 == 0 ? 16 : 2048 + 16 * i;
    max_bytes = std::max(max_bytes, files.records[i] * kRecord);
    WriteGeneration(files.paths[i], files.records[i], 1);
  }
  void* mem =
      mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mem, MAP_FAILED);
  Shared* shared = new (mem) Shared{};
  for (int i = 0; i < kFiles; ++i) {
    shared->gen[i].store(1);
    shared->done_ns[i].store(MonoNowNs());
  }
  std::vector<char> buf(max_bytes);

  // Fork before any thread of ours exists; the child makes only syscalls.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) ChildLoop(files, shared, buf.data());

  FileCache cache(FileCacheOptions{.budget_bytes = 1 << 20,
                                   .validity_window = std::chrono::nanoseconds(kWindowNs)});
  std::atomic<uint64_t> reads{0}, views{0}, not_found{0}, unavailable{0}, stale_checks{0};
  std::atomic<uint64_t> inconsistent{0}, stale{0}, other_errors{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937 rng(t);
      const int64_t end = MonoNowNs() + kRunNs;
      while (MonoNowNs() < end) {
        const int i = static_cast<int>(rng() % kFiles);
        const uint64_t written = shared->gen[i].load(std::memory_order_acquire);
        const int64_t written_at = shared->done_ns[i].load(std::memory_order_acquire);
        const int64_t before = MonoNowNs();
        absl::StatusOr<FileView> v = cache.Read(files.paths[i]);
        reads.fetch_add(1, std::memory_order_relaxed);
        if (!v.ok()) {
          if (v.status().code() == absl::StatusCode::kNotFound) {
            not_found.fetch_add(1, std::memory_order_relaxed);
          } else if (v.status().code() == absl::StatusCode::kUnavailable) {
            unavailable.fetch_add(1, std::memory_order_relaxed);
          } else {
            other_errors.fetch_add(1, std::memory_order_relaxed);
            ADD_FAILURE() << v.status();
          }
          continue;
        }
        views.fetch_add(1, std::memory_order_relaxed);
        uint64_t gen = 0;
        if (!Consistent(v->bytes(), &gen)) {
          inconsistent.fetch_add(1, std::memory_order_relaxed);
          continue;
        }
        if (gen != 0 && before - written_at >= kWindowNs + kMarginNs) {
          stale_checks.fetch_add(1, std::memory_order_relaxed);
          if (gen < written) stale.fetch_add(1, std::memory_order_relaxed);
        }
      }
    });
  }
  for (auto& r : readers) r.join();
  shared->stop.store(true);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  const FileCacheStats s = cache.stats();
  std::ostringstream summary;
  summary << "child ops " << shared->ops.load() << ", reads " << reads << ", views " << views
          << ", not found " << not_found << ", unavailable " << unavailable << ", staleness checks "
          << stale_checks << ", stale reloads " << s.stale_reloads << ", evictions " << s.evictions
          << ", peak bytes " << s.peak_bytes;
  std::cout << summary.str() << "\n";
  EXPECT_GT(shared->ops.load(), 100u) << summary.str();
  EXPECT_EQ(inconsistent.load(), 0u) << summary.str();
  EXPECT_EQ(stale.load(), 0u) << summary.str();
  EXPECT_EQ(other_errors.load(), 0u);
  EXPECT_GT(stale_checks.load(), 0u) << summary.str();
  EXPECT_LE(s.peak_bytes, s.budget_bytes);
  EXPECT_EQ(s.pins, 0u);

  // Quiet now: after the window every path reads exactly what is on disk.
  std::this_thread::sleep_for(std::chrono::nanoseconds(kWindowNs + kMarginNs));
  for (int i = 0; i < kFiles; ++i) {
    std::ifstream in(files.paths[i], std::ios::binary);
    absl::StatusOr<FileView> v = cache.Read(files.paths[i]);
    if (!in) {
      EXPECT_EQ(v.status().code(), absl::StatusCode::kNotFound) << files.paths[i];
      continue;
    }
    std::string disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->bytes(), disk) << files.paths[i];
  }
  shared->~Shared();
  munmap(mem, sizeof(Shared));
}

// The mechanism in one picture: a view of a large file stays readable after
// another process truncates the file to nothing (a file mapping would SIGBUS).
TEST(FaultInjectionTest, TruncationByAnotherProcessNeverFaultsAView) {
  const std::string dir = TempDir("truncate");
  const std::string path = dir + "/big";
  WriteGeneration(path, 4096, 7);  // 256 KiB: the mapped path
  FileCache cache;
  absl::StatusOr<FileView> v = cache.Read(path);
  ASSERT_TRUE(v.ok());
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    syscall(SYS_truncate, path.c_str(), 0);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  uint64_t gen = 0;
  EXPECT_TRUE(Consistent(v->bytes(), &gen));  // touches every page
  EXPECT_EQ(gen, 7u);
  EXPECT_EQ(v->size(), 4096 * kRecord);
  EXPECT_GT(cache.stats().bytes_mapped, 0u);
}

}  // namespace
}  // namespace ctxmem::mmapcache
