#include "pool/buffer.h"

#include <cstring>
#include <new>

#include "pool/poison.h"

namespace ctxmem::pool {
namespace {

void FreeBlock(char* data, size_t capacity) {
  if (data == nullptr) return;
  internal::Unpoison(data, capacity);
  ::operator delete(data, capacity);
}

}  // namespace

void Buffer::Grow(size_t n) {
  const size_t doubled = capacity_ > (~size_t{0} >> 1) ? ~size_t{0} : capacity_ * 2;
  Reallocate(n > doubled ? n : doubled);
}

void Buffer::Reallocate(size_t n) {
  char* fresh = static_cast<char*>(::operator new(n));
  if (size_ > 0) std::memcpy(fresh, data_, size_);
  FreeBlock(data_, capacity_);
  data_ = fresh;
  capacity_ = n;
  AnnotateSize(size_);
}

void Buffer::Free() {
  FreeBlock(data_, capacity_);
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
}

}  // namespace ctxmem::pool
