// A file cache with a byte budget that is never exceeded.
//
//   FileCache cache(FileCacheOptions{.budget_bytes = 64 << 20});
//   absl::StatusOr<FileView> view = cache.Read("/repo/src/main.cc");
//   if (!view.ok()) return view.status();   // NotFound, FailedPrecondition, ...
//   Parse(view->bytes());                    // valid while `view` lives
//
// Identity and staleness. Entries are keyed by (st_dev, st_ino) and carry the
// file's size, mtime (ns) and ctime (ns) as validators. A path remembers the
// key it resolved to and when it was last checked. Within the validity window
// (default 1 s) a Read of that path is served from memory with no system call
// at all; after it, the path is stat'ed again (open + fstat): a new inode
// (rename-into-place), changed validators, or a missing file (NotFound) are
// seen then. So content is never older than the window (plus one tick of the
// coarse monotonic clock, <= 4 ms). Timestamps are only as fine as the
// kernel's clock tick, so a same-size rewrite in the same tick as the load is
// invisible to the validators; an entry whose mtime was that recent when it
// was loaded is marked "racy" (as git does) and reloaded at every check until
// its mtime is old enough to be trusted.
//
// SIGBUS safety. Nothing is ever mapped from the file. Small files (below
// `small_file_bytes`, default 64 KiB) are pread into 64 KiB buffers from a
// pool::BufferPool, packed several to a buffer, and a buffer goes back to the
// pool for reuse once its last file is gone (internal/small_file_slabs.h);
// larger ones are pread into a private anonymous mapping (MAP_PRIVATE |
// MAP_ANONYMOUS, populated, made read-only once filled), recycled from an
// evicted large file when one of a fitting size was kept
// (internal/mapping_recycler.h). The cache holds a snapshot, so
// another process truncating, rewriting or deleting the file can never fault a
// reader: it gets the snapshot until the window ends, then the new content or
// NotFound.
// A load that races a writer (the size or validators change between the
// fstat before and after the read, or the read comes up short) is retried
// and, if the file keeps changing, fails with Unavailable. The cost of the
// snapshot: the bytes are not shared with the page cache (each cached byte
// is held twice while the kernel keeps the file's pages), and loading copies.
// "Bytes mapped" in the stats are these anonymous mappings.
//
// Pins. A FileView pins its entry; a pinned entry is never evicted, and when
// its file goes stale the new content is loaded as a new entry while the old
// one lives on, still counted against the budget, until its last view goes.
// If the budget cannot be met without evicting a pinned entry, Read fails
// with ResourceExhausted rather than exceed it. A file larger than the whole
// budget fails with FailedPrecondition.
//
// Eviction. Byte-weighted S3-FIFO (internal/s3fifo.h): a small probation FIFO
// of 10% of the budget, a main FIFO with 2-bit frequencies, and a ghost of
// recently dropped keys. A hit touches only a counter.
//
// Thread-safe. One mutex guards the tables; file I/O (open, fstat, pread) is
// done outside it, against a byte reservation taken under it. A hit costs a
// lock, two hash lookups and a coarse clock read; dropping the view, a lock.
// The cache must outlive its views.

#ifndef CTXMEM_MMAPCACHE_FILE_CACHE_H_
#define CTXMEM_MMAPCACHE_FILE_CACHE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mmapcache/internal/mapping_recycler.h"
#include "mmapcache/internal/s3fifo.h"
#include "mmapcache/internal/small_file_slabs.h"
#include "pool/buffer_pool.h"

namespace ctxmem::mmapcache {

struct FileCacheOptions {
  // Most bytes of file content held at any instant, pinned entries and loads
  // in progress included.
  size_t budget_bytes = size_t{100} << 20;
  // How long a path's last check is trusted before it is stat'ed again.
  std::chrono::nanoseconds validity_window = std::chrono::seconds(1);
  // Files smaller than this go into pooled buffers; others into anonymous maps.
  size_t small_file_bytes = size_t{64} << 10;
  // Most bytes of freed 64 KiB buffers the cache's BufferPool keeps for reuse
  // (outside the budget: they hold no file).
  size_t idle_buffer_bytes = size_t{1} << 20;
  // Most bytes of evicted large files' mappings kept for the next large load
  // (outside the budget too; internal/mapping_recycler.h).
  size_t idle_mapping_bytes = size_t{4} << 20;
};

struct FileCacheStats {
  uint64_t hits = 0;           // Reads served from memory (window or revalidated)
  uint64_t misses = 0;         // Reads that loaded the file
  uint64_t evictions = 0;      // entries dropped by the policy to make room
  uint64_t stale_reloads = 0;  // entries found changed (or racy) on a check
  uint64_t revalidations = 0;  // checks (open + fstat) after the window
  size_t entries = 0;          // entries in the table (pinned stale ones not)
  size_t pins = 0;             // live FileViews
  size_t bytes_mapped = 0;     // content in anonymous mappings (large files)
  size_t bytes_buffered = 0;   // content in pooled buffers (small files)
  size_t bytes_resident = 0;   // mapped bytes resident (mincore) + buffered
  // Capacity of the pooled buffers holding small files: heap memory, at
  // least bytes_buffered (packing leaves a slab's tail and the gaps of
  // evicted files until the slab empties).
  size_t bytes_slabs = 0;
  size_t slabs = 0;
  // The pool the slabs come from: hit rate, idle buffers kept for reuse.
  pool::BufferPoolStats buffer_pool;
  // Large loads that reused a kept mapping / mapped fresh pages, and the
  // bytes of mappings kept for reuse now.
  uint64_t mappings_reused = 0;
  uint64_t mappings_fresh = 0;
  size_t bytes_idle_mappings = 0;
  size_t current_bytes = 0;    // charged against the budget now
  size_t peak_bytes = 0;       // the most ever charged: never above the budget
  size_t budget_bytes = 0;
};

class FileCache;
namespace internal {
struct Entry;
}  // namespace internal

// A pinned, read-only view of one file's cached content. Move-only; the bytes
// stay valid and unchanged until the view is destroyed, reset or moved from.
class FileView {
 public:
  FileView() = default;
  FileView(FileView&& other) noexcept
      : cache_(std::exchange(other.cache_, nullptr)),
        entry_(std::exchange(other.entry_, nullptr)),
        bytes_(std::exchange(other.bytes_, {})) {}
  FileView& operator=(FileView&& other) noexcept {
    if (this != &other) {
      Reset();
      cache_ = std::exchange(other.cache_, nullptr);
      entry_ = std::exchange(other.entry_, nullptr);
      bytes_ = std::exchange(other.bytes_, {});
    }
    return *this;
  }
  FileView(const FileView&) = delete;
  FileView& operator=(const FileView&) = delete;
  ~FileView() { Reset(); }

  std::string_view bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }
  explicit operator bool() const { return entry_ != nullptr; }

  // Unpins now; the view becomes empty.
  void Reset();

 private:
  friend class FileCache;
  FileView(FileCache* cache, internal::Entry* entry, std::string_view bytes)
      : cache_(cache), entry_(entry), bytes_(bytes) {}

  FileCache* cache_ = nullptr;
  internal::Entry* entry_ = nullptr;
  std::string_view bytes_;
};

namespace internal {

struct FileKey {
  uint64_t dev = 0;
  uint64_t ino = 0;
  friend bool operator==(const FileKey&, const FileKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const FileKey& k) {
    return H::combine(std::move(h), k.dev, k.ino);
  }
};

}  // namespace internal

class FileCache {
 public:
  explicit FileCache(FileCacheOptions options = {});
  FileCache(const FileCache&) = delete;
  FileCache& operator=(const FileCache&) = delete;
  // Every FileView must be gone.
  ~FileCache();

  // The content of the regular file at `path`, pinned. Errors: NotFound (no
  // such file), FailedPrecondition (not a regular file, or larger than the
  // budget), ResourceExhausted (it does not fit without evicting pinned
  // entries), Unavailable (it kept changing while being read),
  // PermissionDenied, Internal (other I/O errors).
  absl::StatusOr<FileView> Read(std::string_view path);

  FileCacheStats stats() const;
  const FileCacheOptions& options() const { return options_; }

 private:
  friend class FileView;
  struct PathRecord {
    internal::FileKey key;
    int64_t checked_ns = 0;  // coarse monotonic time of the last check
  };

  FileView PinLocked(internal::Entry* e);
  void Unpin(internal::Entry* e);
  // Detaches a stale entry; frees it now unless pinned.
  void OrphanLocked(internal::Entry* e);
  // A new entry with room for `size` bytes of content (a slab slice for a
  // small file; a large one maps its own when filled). Throws std::bad_alloc.
  std::unique_ptr<internal::Entry> NewEntryLocked(const internal::FileKey& key, size_t size);
  // Evicts until `need` more bytes fit, then charges them.
  absl::Status ReserveLocked(absl::string_view path, size_t need);
  void ChargeLocked(size_t bytes);
  void PrunePathsLocked();

  const FileCacheOptions options_;
  const int64_t window_ns_;

  mutable std::mutex mu_;
  // Before the entries: an entry gives back its slice or mapping on
  // destruction.
  internal::SmallFileSlabs slabs_;
  internal::MappingRecycler mappings_;
  internal::S3Fifo policy_;
  absl::flat_hash_map<internal::FileKey, std::unique_ptr<internal::Entry>> entries_;
  absl::flat_hash_map<std::string, PathRecord> paths_;
  absl::flat_hash_set<internal::Entry*> orphans_;  // stale but pinned
  size_t current_bytes_ = 0;
  size_t peak_bytes_ = 0;
  size_t pins_ = 0;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
  uint64_t evictions_ = 0;
  uint64_t stale_reloads_ = 0;
  uint64_t revalidations_ = 0;
};

inline void FileView::Reset() {
  if (entry_ == nullptr) return;
  cache_->Unpin(std::exchange(entry_, nullptr));
  cache_ = nullptr;
  bytes_ = {};
}

}  // namespace ctxmem::mmapcache

#endif  // CTXMEM_MMAPCACHE_FILE_CACHE_H_
