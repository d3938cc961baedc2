// A growable, move-only byte buffer: the storage that BufferPool recycles.
//
// Like a std::string without the small-string optimisation and without
// copies: bytes live in one heap block of `capacity()` bytes, of which the
// first `size()` are the content. Nothing past `size()` is reachable through
// the API, so a buffer recycled by a pool never shows its previous user's
// bytes: `resize()` zero-fills what it adds, and `resize_and_overwrite()`
// exposes only what its callback reports as written. Under ASan the bytes
// past `size()` are poisoned, so pointer arithmetic that strays there is
// reported.
//
// Growth doubles the capacity (or jumps straight to the requested size if that
// is larger); `clear()` keeps the capacity, which is the point of pooling.

#ifndef CTXMEM_POOL_BUFFER_H_
#define CTXMEM_POOL_BUFFER_H_

#include <cassert>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <utility>

#include "pool/poison.h"

namespace ctxmem::pool {

class Buffer {
 public:
  Buffer() = default;
  // An empty buffer that can hold `capacity` bytes without growing.
  explicit Buffer(size_t capacity) { reserve(capacity); }

  Buffer(Buffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  Buffer& operator=(Buffer&& other) noexcept {
    if (this != &other) {
      Free();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  // Copies would silently duplicate megabytes; say it with append().
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { Free(); }

  // The first size() bytes. Null only while capacity() == 0.
  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return std::string_view(data_, size_); }

  char& operator[](size_t i) {
    assert(i < size_);
    return data_[i];
  }
  char operator[](size_t i) const {
    assert(i < size_);
    return data_[i];
  }

  // Size becomes 0; the capacity stays.
  void clear() { SetSize(0); }

  // Makes capacity() at least `n`, keeping the content.
  void reserve(size_t n) {
    if (n > capacity_) Reallocate(n);
  }

  // New bytes (if growing) are zero.
  void resize(size_t n) {
    if (n > capacity_) Grow(n);
    const size_t old = size_;
    SetSize(n);
    if (n > old) std::memset(data_ + old, 0, n - old);
  }

  void append(const void* bytes, size_t n) {
    if (n == 0) return;
    if (n > capacity_ - size_) Grow(size_ + n);
    const size_t old = size_;
    SetSize(old + n);
    std::memcpy(data_ + old, bytes, n);
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  void push_back(char c) { append(&c, 1); }

  // As std::string::resize_and_overwrite (C++23): makes room for `n` bytes and
  // calls `op(data(), n)`, which writes the bytes it wants and returns the new
  // size r <= n. Bytes in [old size, r) must have been written by `op`; bytes
  // `op` wrote past r are not exposed. Meant for read(2)-style fills that
  // should not pay for zeroing first.
  template <typename Op>
  void resize_and_overwrite(size_t n, Op op) {
    if (n > capacity_) Grow(n);
    AnnotateSize(n);
    const size_t r = static_cast<size_t>(std::move(op)(data_, n));
    assert(r <= n);
    size_ = r <= n ? r : n;
    AnnotateSize(size_);
  }

 private:
  friend class BufferPool;

  // For BufferPool's thread caches, which keep only a buffer's storage: an
  // empty buffer adopting `data` (`capacity` bytes, all poisoned under ASan,
  // as clear() leaves them), and the inverse, which leaves this buffer
  // without storage. Neither touches the bytes or their poisoning.
  struct AdoptTag {};
  Buffer(AdoptTag, char* data, size_t capacity) noexcept : data_(data), capacity_(capacity) {}
  char* TakeStorage() noexcept {
    assert(size_ == 0);
    capacity_ = 0;
    return std::exchange(data_, nullptr);
  }

  // Grows to at least `n`, at least doubling, keeping the content.
  void Grow(size_t n);
  void Reallocate(size_t n);
  void Free();

  void SetSize(size_t n) {
    AnnotateSize(n);
    size_ = n;
  }

  // Under ASan: makes [0, n) addressable and [n, capacity) poisoned.
  void AnnotateSize(size_t n) {
    if constexpr (internal::kPoisoning) {
      if (data_ == nullptr) return;
      internal::Unpoison(data_, n);
      internal::Poison(data_ + n, capacity_ - n);
    }
  }

  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace ctxmem::pool

#endif  // CTXMEM_POOL_BUFFER_H_
