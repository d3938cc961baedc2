#include "mmapcache/internal/mapping_recycler.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

namespace ctxmem::mmapcache::internal {
namespace {

size_t PageBytes() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

}  // namespace

size_t MappingRecycler::MappedBytes(size_t bytes) {
  const size_t page = PageBytes();
  return (bytes + page - 1) / page * page;
}

MappingRecycler::~MappingRecycler() {
  for (const Idle& m : idle_) munmap(m.data, m.bytes);
}

char* MappingRecycler::Take(size_t bytes) {
  const size_t want = MappedBytes(bytes);
  Idle found{nullptr, 0};
  {
    std::lock_guard<std::mutex> lock(mu_);
    size_t best = idle_.size();
    for (size_t i = 0; i < idle_.size(); ++i) {
      const size_t have = idle_[i].bytes;
      if (have >= want && have <= 2 * want && (best == idle_.size() || have < idle_[best].bytes)) {
        best = i;
      }
    }
    if (best != idle_.size()) {
      found = idle_[best];
      idle_[best] = idle_.back();
      idle_.pop_back();
      idle_bytes_ -= found.bytes;
      ++reused_;
    } else {
      ++fresh_;
    }
  }
  if (found.data != nullptr) {
    if (found.bytes > want) munmap(found.data + want, found.bytes - want);
    if (mprotect(found.data, want, PROT_READ | PROT_WRITE) != 0) {
      munmap(found.data, want);
      return nullptr;
    }
    // The caller overwrites [0, bytes); nothing of the previous file may
    // remain past it either.
    std::memset(found.data + bytes, 0, want - bytes);
    return found.data;
  }
  void* p = mmap(nullptr, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                 -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<char*>(p);
}

void MappingRecycler::Give(char* data, size_t bytes) {
  const size_t mapped = MappedBytes(bytes);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_bytes_ + mapped <= max_idle_bytes_) {
      idle_.push_back({data, mapped});
      idle_bytes_ += mapped;
      return;
    }
  }
  munmap(data, mapped);
}

size_t MappingRecycler::idle_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_bytes_;
}

uint64_t MappingRecycler::reused() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reused_;
}

uint64_t MappingRecycler::fresh() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fresh_;
}

}  // namespace ctxmem::mmapcache::internal
