#include "mmapcache/file_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace ctxmem::mmapcache {
namespace {

using std::chrono::milliseconds;

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

void WriteFile(const std::string& path, const std::string& content) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  close(fd);
}

// A fresh directory per test, so tests do not see each other's files.
class FileCacheTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir() + "/" + testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string cmd = "rm -rf '" + dir_ + "' && mkdir -p '" + dir_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string Make(const std::string& name, size_t size, char fill = 'x') {
    std::string content(size, fill);
    if (size > 0) content[0] = name[0];
    WriteFile(Path(name), content);
    return content;
  }
  std::string dir_;
};

void ExpectWithinBudget(const FileCache& cache) {
  const FileCacheStats s = cache.stats();
  EXPECT_LE(s.current_bytes, s.budget_bytes);
  EXPECT_LE(s.peak_bytes, s.budget_bytes);
}

TEST_F(FileCacheTest, MissThenHit) {
  const std::string content = Make("a", 1000);
  FileCache cache;
  {
    absl::StatusOr<FileView> v = cache.Read(Path("a"));
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->bytes(), content);
  }
  absl::StatusOr<FileView> v = cache.Read(Path("a"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->bytes(), content);
  const FileCacheStats s = cache.stats();
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.pins, 1u);
  EXPECT_EQ(s.current_bytes, 1000u);
}

TEST_F(FileCacheTest, MissingFileIsNotFound) {
  FileCache cache;
  absl::StatusOr<FileView> v = cache.Read(Path("nope"));
  EXPECT_EQ(v.status().code(), absl::StatusCode::kNotFound) << v.status();
}

TEST_F(FileCacheTest, BudgetNeverExceeded) {
  std::mt19937 rng(42);
  std::vector<std::string> contents;
  for (int i = 0; i < 30; ++i) {
    contents.push_back(Make("f" + std::to_string(i), 1 + rng() % (30 << 10), 'a' + i % 26));
  }
  FileCache cache(FileCacheOptions{.budget_bytes = 100 << 10});
  for (int op = 0; op < 600; ++op) {
    const int i = std::min<int>(rng() % 30, rng() % 30);  // skewed
    absl::StatusOr<FileView> v = cache.Read(Path("f" + std::to_string(i)));
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->bytes(), contents[i]);
    ExpectWithinBudget(cache);
  }
  EXPECT_GT(cache.stats().evictions, 0u);
}

TEST_F(FileCacheTest, OnceUsedFileIsEvictedBeforeFrequentlyUsedOne) {
  Make("hot", 10 << 10);
  for (int i = 0; i < 6; ++i) Make("cold" + std::to_string(i), 10 << 10);
  FileCache cache(
      FileCacheOptions{.budget_bytes = 40 << 10, .validity_window = std::chrono::seconds(60)});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(cache.Read(Path("hot")).ok());
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(cache.Read(Path("cold" + std::to_string(i))).ok());
    ExpectWithinBudget(cache);
  }
  EXPECT_EQ(cache.stats().evictions, 3u);
  const uint64_t misses = cache.stats().misses;
  ASSERT_TRUE(cache.Read(Path("hot")).ok());
  EXPECT_EQ(cache.stats().misses, misses) << "the hot file was evicted";
  ASSERT_TRUE(cache.Read(Path("cold0")).ok());
  EXPECT_EQ(cache.stats().misses, misses + 1) << "the first cold file should be gone";
}

TEST_F(FileCacheTest, PinBlocksEviction) {
  const std::string a = Make("a", 10 << 10);
  const std::string b = Make("b", 10 << 10);
  Make("c", 10 << 10);
  FileCache cache(FileCacheOptions{.budget_bytes = 20 << 10});
  absl::StatusOr<FileView> va = cache.Read(Path("a"));
  absl::StatusOr<FileView> vb = cache.Read(Path("b"));
  ASSERT_TRUE(va.ok() && vb.ok());
  absl::StatusOr<FileView> vc = cache.Read(Path("c"));
  EXPECT_EQ(vc.status().code(), absl::StatusCode::kResourceExhausted) << vc.status();
  EXPECT_NE(vc.status().message().find("pinned"), std::string_view::npos) << vc.status();
  EXPECT_EQ(va->bytes(), a);
  EXPECT_EQ(vb->bytes(), b);
  ExpectWithinBudget(cache);
  va->Reset();
  vc = cache.Read(Path("c"));
  ASSERT_TRUE(vc.ok()) << vc.status();
  EXPECT_EQ(vb->bytes(), b);  // the pinned one stayed
  EXPECT_EQ(cache.stats().evictions, 1u);
  ExpectWithinBudget(cache);
}

TEST_F(FileCacheTest, ChangeDetectedOnlyAfterWindow) {
  WriteFile(Path("a"), "version one");
  FileCache cache(FileCacheOptions{.validity_window = milliseconds(100)});
  ASSERT_EQ(cache.Read(Path("a"))->bytes(), "version one");
  WriteFile(Path("a"), "version two, longer");
  // Within the window: served from memory, no stat.
  EXPECT_EQ(cache.Read(Path("a"))->bytes(), "version one");
  EXPECT_EQ(cache.stats().revalidations, 1u);
  std::this_thread::sleep_for(milliseconds(150));
  EXPECT_EQ(cache.Read(Path("a"))->bytes(), "version two, longer");
  EXPECT_EQ(cache.stats().stale_reloads, 1u);
  EXPECT_EQ(cache.stats().current_bytes, 19u);
}

TEST_F(FileCacheTest, SameSizeRewriteInSameTickIsCaughtAsRacy) {
  WriteFile(Path("a"), "AAAA");
  FileCache cache(FileCacheOptions{.validity_window = milliseconds(20)});
  ASSERT_EQ(cache.Read(Path("a"))->bytes(), "AAAA");
  WriteFile(Path("a"), "BBBB");  // likely the same mtime tick, same size
  std::this_thread::sleep_for(milliseconds(40));
  EXPECT_EQ(cache.Read(Path("a"))->bytes(), "BBBB");
}

TEST_F(FileCacheTest, NotRestatedWithinWindow) {
  Make("a", 100);
  FileCache cache(FileCacheOptions{.validity_window = std::chrono::seconds(30)});
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(cache.Read(Path("a")).ok());
  const FileCacheStats s = cache.stats();
  EXPECT_EQ(s.revalidations, 1u);
  EXPECT_EQ(s.hits, 99u);
}

TEST_F(FileCacheTest, DeletedFileIsNotFoundAfterWindow) {
  Make("a", 100);
  FileCache cache(FileCacheOptions{.validity_window = milliseconds(50)});
  ASSERT_TRUE(cache.Read(Path("a")).ok());
  ASSERT_EQ(unlink(Path("a").c_str()), 0);
  EXPECT_TRUE(cache.Read(Path("a")).ok());  // within the window
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(cache.Read(Path("a")).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(FileCacheTest, SmallFilesAreBufferedLargeOnesMapped) {
  Make("small", 1000);
  const std::string large = Make("large", 200 << 10);
  FileCache cache;
  ASSERT_TRUE(cache.Read(Path("small")).ok());
  FileCacheStats s = cache.stats();
  EXPECT_EQ(s.bytes_buffered, 1000u);
  EXPECT_EQ(s.bytes_mapped, 0u);
  absl::StatusOr<FileView> v = cache.Read(Path("large"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->bytes(), large);
  s = cache.stats();
  EXPECT_EQ(s.bytes_mapped, 200u << 10);
  EXPECT_EQ(s.bytes_resident, 1000u + (200u << 10));  // all filled by pread
}

// Small files are packed into 64 KiB buffers from the cache's BufferPool,
// and a buffer whose files are all gone goes back to the pool and is reused:
// churning through many more small files than fit allocates few buffers.
TEST_F(FileCacheTest, SmallFilesArePackedIntoRecycledPooledBuffers) {
  std::vector<std::string> contents;
  for (int i = 0; i < 60; ++i) {
    contents.push_back(Make("s" + std::to_string(i), 1000 + 97 * i, char('a' + i % 26)));
  }
  FileCache cache(FileCacheOptions{.budget_bytes = 48 << 10});
  {
    ASSERT_TRUE(cache.Read(Path("s0")).ok());
    const FileCacheStats s = cache.stats();
    EXPECT_EQ(s.slabs, 1u);
    EXPECT_EQ(s.bytes_slabs, 64u << 10);
    EXPECT_EQ(s.buffer_pool.acquires(), 1u);
  }
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 60; ++i) {
      absl::StatusOr<FileView> v = cache.Read(Path("s" + std::to_string(i)));
      ASSERT_TRUE(v.ok()) << v.status();
      ASSERT_EQ(v->bytes(), contents[i]);
      const FileCacheStats s = cache.stats();
      EXPECT_LE(s.bytes_buffered, s.bytes_slabs);
      ExpectWithinBudget(cache);
    }
  }
  const FileCacheStats s = cache.stats();
  EXPECT_GT(s.evictions, 100u);  // ~180 KiB of files through a 48 KiB budget, 5 times
  EXPECT_EQ(s.bytes_mapped, 0u);
  // Buffers came back and were reused: many more slabs filled than buffers
  // ever allocated.
  EXPECT_GT(s.buffer_pool.hits(), 0u);
  EXPECT_GE(s.buffer_pool.acquires(), 10u);
  EXPECT_LE(s.buffer_pool.classes[1].misses, 4u) << s.buffer_pool.acquires() << " acquires";
  EXPECT_LE(s.buffer_pool.idle_bytes, s.buffer_pool.max_idle_bytes);
}

TEST_F(FileCacheTest, PackedFilesStayIntactWhileNeighboursComeAndGo) {
  // A pinned view keeps its bytes while the other files of its buffer are
  // evicted, reloaded and replaced around it.
  const std::string pinned_content = Make("p", 3000, 'P');
  std::vector<std::string> others;
  for (int i = 0; i < 30; ++i) others.push_back(Make("o" + std::to_string(i), 2000 + i, 'o'));
  FileCache cache(FileCacheOptions{.budget_bytes = 20 << 10});
  absl::StatusOr<FileView> pinned = cache.Read(Path("p"));
  ASSERT_TRUE(pinned.ok());
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 30; ++i) {
      absl::StatusOr<FileView> v = cache.Read(Path("o" + std::to_string(i)));
      ASSERT_TRUE(v.ok()) << v.status();
      ASSERT_EQ(v->bytes(), others[i]);
    }
  }
  EXPECT_EQ(pinned->bytes(), pinned_content);
  EXPECT_GT(cache.stats().evictions, 50u);
}

// Evicted large files leave their mapping for the next large load, which
// then needs no fresh pages; reused bytes never show through.
TEST_F(FileCacheTest, LargeFileMappingsAreRecycled) {
  const std::string a = Make("a", 900 << 10, 'A');
  const std::string b = Make("b", 700 << 10, 'B');
  const std::string c = Make("c", 300 << 10, 'C');  // too small for a's mapping (over 2x)
  FileCache cache(FileCacheOptions{.budget_bytes = 1 << 20});
  for (int round = 0; round < 3; ++round) {
    for (const auto& [name, content] : {std::pair{"a", &a}, std::pair{"b", &b}}) {
      absl::StatusOr<FileView> v = cache.Read(Path(name));  // evicts the other
      ASSERT_TRUE(v.ok()) << v.status();
      ASSERT_EQ(v->bytes(), *content);
    }
  }
  FileCacheStats s = cache.stats();
  EXPECT_EQ(s.misses, 6u);
  EXPECT_EQ(s.mappings_fresh, 2u);   // a's and b's first loads
  EXPECT_EQ(s.mappings_reused, 4u);  // every later load reused the other's
  EXPECT_LE(s.bytes_idle_mappings, FileCacheOptions{}.idle_mapping_bytes);
  absl::StatusOr<FileView> v = cache.Read(Path("c"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->bytes(), c);
  EXPECT_EQ(cache.stats().mappings_fresh, 3u);
  ExpectWithinBudget(cache);
}

TEST_F(FileCacheTest, NoMappingIsKeptWithoutRoom) {
  Make("a", 900 << 10, 'A');
  Make("b", 900 << 10, 'B');
  FileCache cache(FileCacheOptions{.budget_bytes = 1 << 20, .idle_mapping_bytes = 0});
  ASSERT_TRUE(cache.Read(Path("a")).ok());
  ASSERT_TRUE(cache.Read(Path("b")).ok());
  ASSERT_TRUE(cache.Read(Path("a")).ok());
  const FileCacheStats s = cache.stats();
  EXPECT_EQ(s.mappings_reused, 0u);
  EXPECT_EQ(s.mappings_fresh, 3u);
  EXPECT_EQ(s.bytes_idle_mappings, 0u);
}

TEST_F(FileCacheTest, FileLargerThanBudgetIsAClearError) {
  Make("huge", 100 << 10);
  FileCache cache(FileCacheOptions{.budget_bytes = 64 << 10});
  absl::StatusOr<FileView> v = cache.Read(Path("huge"));
  EXPECT_EQ(v.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(v.status().message().find("budget"), std::string_view::npos) << v.status();
  EXPECT_EQ(cache.stats().current_bytes, 0u);
}

TEST_F(FileCacheTest, PinnedViewOutlivesStaleReload) {
  WriteFile(Path("a"), "old");
  FileCache cache(FileCacheOptions{.validity_window = std::chrono::nanoseconds(0)});
  absl::StatusOr<FileView> old_view = cache.Read(Path("a"));
  ASSERT_TRUE(old_view.ok());
  WriteFile(Path("a"), "newer");
  absl::StatusOr<FileView> new_view = cache.Read(Path("a"));
  ASSERT_TRUE(new_view.ok());
  EXPECT_EQ(old_view->bytes(), "old");
  EXPECT_EQ(new_view->bytes(), "newer");
  EXPECT_EQ(cache.stats().current_bytes, 8u);  // both count
  old_view->Reset();
  EXPECT_EQ(cache.stats().current_bytes, 5u);
}

TEST_F(FileCacheTest, MovedViewKeepsPin) {
  Make("a", 10);
  FileCache cache;
  FileView moved;
  {
    absl::StatusOr<FileView> v = cache.Read(Path("a"));
    ASSERT_TRUE(v.ok());
    moved = std::move(*v);
  }
  EXPECT_EQ(cache.stats().pins, 1u);
  EXPECT_EQ(moved.size(), 10u);
  moved.Reset();
  EXPECT_EQ(cache.stats().pins, 0u);
}

TEST_F(FileCacheTest, ConcurrentReaders) {
  std::vector<std::string> contents;
  for (int i = 0; i < 20; ++i) {
    contents.push_back(
        Make("f" + std::to_string(i), (i % 4 == 0 ? 100 << 10 : 5 << 10) + i, 'a' + i));
  }
  // ~575 KiB of files in 450 KiB: evictions. Each thread pins or reserves at
  // most one file (<= 100 KiB) at a time, so all four always fit.
  FileCache cache(FileCacheOptions{.budget_bytes = 450 << 10, .validity_window = milliseconds(5)});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      for (int op = 0; op < 1500; ++op) {
        const int i = rng() % 20;
        absl::StatusOr<FileView> v = cache.Read(Path("f" + std::to_string(i)));
        ASSERT_TRUE(v.ok()) << v.status();
        ASSERT_EQ(v->bytes(), contents[i]);
      }
    });
  }
  for (auto& t : threads) t.join();
  const FileCacheStats s = cache.stats();
  EXPECT_LE(s.peak_bytes, s.budget_bytes);
  EXPECT_EQ(s.pins, 0u);
  EXPECT_EQ(s.hits + s.misses, 6000u);
  EXPECT_GT(s.evictions, 0u);
}

}  // namespace
}  // namespace ctxmem::mmapcache
