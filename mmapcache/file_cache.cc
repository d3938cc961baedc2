#include "mmapcache/file_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace ctxmem::mmapcache {
namespace internal {

// The file state a snapshot was taken from.
struct Validators {
  int64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  friend bool operator==(const Validators&, const Validators&) = default;
};

struct Entry {
  FileKey key;
  Validators validators;
  bool racy = false;  // mtime too close to the load to be trusted; see header
  char* data = nullptr;
  size_t size = 0;
  bool mapped = false;  // anonymous mapping (large file)
  // A small file's slice: its slab, and the slabs to give it back to. The
  // cache destroys entries under its lock, as SmallFileSlabs requires.
  SmallFileSlabs::Slab* slab = nullptr;
  SmallFileSlabs* slabs = nullptr;
  MappingRecycler* mappings = nullptr;  // where a large file's mapping goes
  int pins = 0;
  bool orphan = false;  // stale, out of the table, waiting for its last pin
  S3Fifo::Node* node = nullptr;

  ~Entry() {
    if (slab != nullptr) slabs->Free(slab);
    if (mapped) mappings->Give(data, size);
  }
};

}  // namespace internal

namespace {

using internal::Entry;
using internal::FileKey;
using internal::MappingRecycler;
using internal::SmallFileSlabs;
using internal::Validators;

// Timestamps on Linux filesystems advance by the kernel's tick (<= 10 ms at
// HZ=100); a file modified less than this before its load may be rewritten
// again with the same mtime.
constexpr int64_t kRacyNs = 50'000'000;
constexpr int kLoadAttempts = 4;

// Coarse: ~5 ns through the vDSO, 1-4 ms resolution, enough for a window.
int64_t CoarseNowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

int64_t RealtimeNowNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

int64_t Ns(const timespec& ts) { return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec; }

Validators ValidatorsOf(const struct stat& st) {
  return {int64_t{st.st_size}, Ns(st.st_mtim), Ns(st.st_ctim)};
}

FileKey KeyOf(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

// The policy's key (only its ghost compares keys: a collision merely admits
// a file to main early).
uint64_t PolicyKey(const FileKey& k) {
  uint64_t h = k.ino * 0x9E3779B97F4A7C15ull ^ (k.dev + 0x632BE59BD9B4E019ull);
  return h ^ (h >> 29);
}

absl::Status ErrnoStatus(int err, absl::string_view what, absl::string_view path) {
  std::string msg = absl::StrCat(what, " ", path, ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(msg);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(msg);
    default:
      return absl::InternalError(msg);
  }
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Preads the entry's `size` bytes into its storage: the slab slice it came
// with (small file) or an anonymous mapping, recycled or fresh (large file). Returns false
// if the file came up short (it shrank meanwhile).
absl::StatusOr<bool> Fill(int fd, Entry& e, absl::string_view path) {
  if (e.size == 0) return true;
  if (e.slab == nullptr) {
    e.data = e.mappings->Take(e.size);
    if (e.data == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrCat("mmap of ", e.size, " bytes for ", path, ": ", std::strerror(errno)));
    }
    e.mapped = true;
  }
  size_t done = 0;
  while (done < e.size) {
    const ssize_t n = pread(fd, e.data + done, e.size - done, static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "pread", path);
    }
    if (n == 0) return false;
    done += static_cast<size_t>(n);
  }
  // Read-only from here: a stray write through a view faults instead of
  // silently corrupting what other readers see.
  if (e.mapped) mprotect(e.data, e.size, PROT_READ);
  return true;
}

}  // namespace

FileCache::FileCache(FileCacheOptions options)
    : options_(options),
      window_ns_(options.validity_window.count()),
      slabs_(options.idle_buffer_bytes),
      mappings_(options.idle_mapping_bytes),
      policy_(options.budget_bytes) {}

FileCache::~FileCache() {
  assert(pins_ == 0 && "a FileView outlived its FileCache");
  for (Entry* e : orphans_) delete e;
}

FileView FileCache::PinLocked(Entry* e) {
  ++e->pins;
  ++pins_;
  return FileView(this, e, std::string_view(e->data, e->size));
}

void FileCache::Unpin(Entry* e) {
  std::lock_guard<std::mutex> lock(mu_);
  --pins_;
  if (--e->pins == 0 && e->orphan) {
    current_bytes_ -= e->size;
    orphans_.erase(e);
    delete e;
  }
}

void FileCache::OrphanLocked(Entry* e) {
  policy_.Erase(e->node);
  e->node = nullptr;
  auto it = entries_.find(e->key);
  assert(it != entries_.end() && it->second.get() == e);
  it->second.release();
  entries_.erase(it);
  if (e->pins == 0) {
    current_bytes_ -= e->size;
    delete e;
  } else {
    e->orphan = true;
    orphans_.insert(e);
  }
}

std::unique_ptr<Entry> FileCache::NewEntryLocked(const FileKey& key, size_t size) {
  auto e = std::make_unique<Entry>();
  e->key = key;
  e->size = size;
  if (size > 0 && size < options_.small_file_bytes) {
    const SmallFileSlabs::Slice slice = slabs_.Allocate(size);
    e->slab = slice.slab;
    e->slabs = &slabs_;
    e->data = slice.data;
  } else {
    e->mappings = &mappings_;
  }
  return e;
}

void FileCache::ChargeLocked(size_t bytes) {
  current_bytes_ += bytes;
  if (current_bytes_ > peak_bytes_) peak_bytes_ = current_bytes_;
}

absl::Status FileCache::ReserveLocked(absl::string_view path, size_t need) {
  if (need > options_.budget_bytes) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is ", need, " bytes, more than the whole cache budget of ",
                     options_.budget_bytes, " bytes"));
  }
  while (current_bytes_ + need > options_.budget_bytes) {
    auto victim = policy_.Evict(
        [](const internal::S3Fifo::Node& n) { return static_cast<Entry*>(n.payload)->pins == 0; });
    if (!victim) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "cannot cache ", path, " (", need, " bytes): ", options_.budget_bytes - current_bytes_,
          " of the ", options_.budget_bytes,
          "-byte budget are free and every other entry is pinned by a live FileView"));
    }
    Entry* e = static_cast<Entry*>(victim->payload);
    e->node = nullptr;  // the policy freed it
    current_bytes_ -= e->size;
    ++evictions_;
    entries_.erase(e->key);
  }
  ChargeLocked(need);
  return absl::OkStatus();
}

void FileCache::PrunePathsLocked() {
  // Paths whose entry was evicted keep a small record; drop them in bulk when
  // they dominate, so the table stays proportional to the cache.
  if (paths_.size() < 4 * entries_.size() + 1024) return;
  absl::erase_if(paths_, [&](const auto& kv) { return !entries_.contains(kv.second.key); });
}

absl::StatusOr<FileView> FileCache::Read(std::string_view std_path) {
  // Debian's abseil has its own string_view type.
  const absl::string_view path(std_path.data(), std_path.size());
  {
    const int64_t now = CoarseNowNs();
    std::lock_guard<std::mutex> lock(mu_);
    auto p = paths_.find(path);
    if (p != paths_.end() && now - p->second.checked_ns < window_ns_) {
      auto e = entries_.find(p->second.key);
      if (e != entries_.end()) {
        ++hits_;
        internal::S3Fifo::Access(e->second->node);
        return PinLocked(e->second.get());
      }
    }
  }

  const std::string path_str(std_path);
  for (int attempt = 0; attempt < kLoadAttempts; ++attempt) {
    const int64_t checked = CoarseNowNs();
    Fd fd(open(path_str.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      const int err = errno;
      std::lock_guard<std::mutex> lock(mu_);
      paths_.erase(path);
      return ErrnoStatus(err, "open", path);
    }
    struct stat st;
    if (fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, "fstat", path);
    if (!S_ISREG(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(path, " is not a regular file"));
    }
    const FileKey key = KeyOf(st);
    const Validators validators = ValidatorsOf(st);
    const size_t size = static_cast<size_t>(st.st_size);
    std::unique_ptr<Entry> fresh;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++revalidations_;
      auto e = entries_.find(key);
      if (e != entries_.end()) {
        Entry* entry = e->second.get();
        if (entry->validators == validators && !entry->racy) {
          ++hits_;
          paths_.insert_or_assign(path_str, PathRecord{key, checked});
          internal::S3Fifo::Access(entry->node);
          return PinLocked(entry);
        }
        ++stale_reloads_;
        OrphanLocked(entry);
      }
      if (absl::Status s = ReserveLocked(path, size); !s.ok()) return s;
      ++misses_;
      try {
        fresh = NewEntryLocked(key, size);
      } catch (const std::bad_alloc&) {
        current_bytes_ -= size;  // give the reservation back
        return absl::ResourceExhaustedError(
            absl::StrCat("out of memory for a buffer for ", path, " (", size, " bytes)"));
      }
    }

    // Load outside the lock, against the reservation.
    fresh->validators = validators;
    fresh->racy = validators.mtime_ns + kRacyNs > RealtimeNowNs();
    absl::StatusOr<bool> filled = Fill(fd.get(), *fresh, path);
    struct stat after;
    bool consistent = filled.ok() && *filled && fstat(fd.get(), &after) == 0 &&
                      KeyOf(after) == key && ValidatorsOf(after) == validators;

    std::lock_guard<std::mutex> lock(mu_);
    if (!consistent) {
      current_bytes_ -= size;  // give the reservation back
      fresh.reset();
      if (!filled.ok()) return filled.status();
      continue;  // it changed under us: take a new snapshot
    }
    auto [it, inserted] = entries_.try_emplace(key);
    if (!inserted) {
      // Another thread loaded this inode meanwhile.
      Entry* other = it->second.get();
      if (other->validators == validators) {
        fresh.reset();  // under the lock: it gives back its slice
        current_bytes_ -= size;
        paths_.insert_or_assign(path_str, PathRecord{key, checked});
        internal::S3Fifo::Access(other->node);
        return PinLocked(other);
      }
      OrphanLocked(other);
      it = entries_.try_emplace(key).first;
    }
    Entry* entry = fresh.get();
    it->second = std::move(fresh);
    entry->node = policy_.Insert(PolicyKey(key), size, entry);
    paths_.insert_or_assign(path_str, PathRecord{key, checked});
    PrunePathsLocked();
    return PinLocked(entry);
  }
  return absl::UnavailableError(
      absl::StrCat(path, " kept changing while being read (", kLoadAttempts, " attempts)"));
}

FileCacheStats FileCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  FileCacheStats s;
  s.hits = hits_;
  s.misses = misses_;
  s.evictions = evictions_;
  s.stale_reloads = stale_reloads_;
  s.revalidations = revalidations_;
  s.entries = entries_.size();
  s.pins = pins_;
  s.current_bytes = current_bytes_;
  s.peak_bytes = peak_bytes_;
  s.budget_bytes = options_.budget_bytes;
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> vec;
  auto count = [&](const Entry& e) {
    if (!e.mapped) {
      s.bytes_buffered += e.size;
      s.bytes_resident += e.size;
      return;
    }
    s.bytes_mapped += e.size;
    const size_t pages = (e.size + page - 1) / page;
    vec.resize(pages);
    if (mincore(e.data, e.size, vec.data()) != 0) return;
    for (size_t i = 0; i < pages; ++i) {
      if (vec[i] & 1) s.bytes_resident += (i + 1 == pages) ? e.size - i * page : page;
    }
  };
  for (const auto& [key, e] : entries_) count(*e);
  for (const Entry* e : orphans_) count(*e);
  s.bytes_slabs = slabs_.held_bytes();
  s.slabs = slabs_.slabs();
  s.buffer_pool = slabs_.pool_stats();
  s.mappings_reused = mappings_.reused();
  s.mappings_fresh = mappings_.fresh();
  s.bytes_idle_mappings = mappings_.idle_bytes();
  return s;
}

}  // namespace ctxmem::mmapcache
