#include "intern/internal/reserved_region.h"

#include <sys/mman.h>
#include <unistd.h>

#include <utility>

namespace ctxmem::intern::internal {

size_t ReservedRegion::PageBytes() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

ReservedRegion::ReservedRegion(size_t bytes) {
  const size_t page = PageBytes();
  bytes = (bytes + page - 1) / page * page;
  for (; bytes >= page; bytes = (bytes / 2 + page - 1) / page * page) {
    void* p = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) {
      base_ = static_cast<char*>(p);
      size_ = bytes;
      return;
    }
    if (bytes == page) return;
  }
}

ReservedRegion::ReservedRegion(ReservedRegion&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)), size_(std::exchange(other.size_, 0)) {}

ReservedRegion& ReservedRegion::operator=(ReservedRegion&& other) noexcept {
  if (this != &other) {
    if (base_ != nullptr) munmap(base_, size_);
    base_ = std::exchange(other.base_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

ReservedRegion::~ReservedRegion() {
  if (base_ != nullptr) munmap(base_, size_);
}

bool ReservedRegion::Commit(size_t offset, size_t bytes) {
  if (offset > size_ || bytes > size_ - offset) return false;
  if (bytes == 0) return true;
  if (mprotect(base_ + offset, bytes, PROT_READ | PROT_WRITE) != 0) return false;
#ifdef MADV_POPULATE_WRITE
  // Fault the pages in now, in one call: they are about to be written one
  // entry at a time, and page faults one by one cost ~10 us a page on the
  // measuring VM. Older kernels refuse the advice; the pages then fault in as
  // they are touched.
  madvise(base_ + offset, bytes, MADV_POPULATE_WRITE);
#endif
  return true;
}

}  // namespace ctxmem::intern::internal
