#include "mmapcache/internal/small_file_slabs.h"

#include <cassert>
#include <memory>
#include <utility>

namespace ctxmem::mmapcache::internal {

struct SmallFileSlabs::Slab {
  pool::PooledBuffer buffer;
  size_t used = 0;  // bytes handed out, from the start
  size_t live = 0;  // slices not yet freed
};

namespace {

pool::BufferPoolOptions PoolOptions(size_t idle_bytes) {
  pool::BufferPoolOptions options;
  options.max_idle_bytes = idle_bytes;
  // Slabs are the 64 KiB class; the 1 MiB class only serves files above a
  // raised threshold; nothing asks for 4 KiB.
  options.max_idle_bytes_per_class = {size_t{0}, idle_bytes, idle_bytes};
  return options;
}

}  // namespace

SmallFileSlabs::SmallFileSlabs(size_t idle_bytes) : pool_(PoolOptions(idle_bytes)) {}

SmallFileSlabs::~SmallFileSlabs() {
  if (current_ != nullptr) {
    assert(current_->live == 0 && "a small file outlived its cache's slabs");
    Drop(current_);
  }
}

SmallFileSlabs::Slab* SmallFileSlabs::NewSlab(size_t capacity) {
  auto slab = std::make_unique<Slab>();
  slab->buffer = pool_.Acquire(capacity);
  // Zero-filled, so no byte of a slab's previous files is ever exposed, even
  // in the gap a failed load leaves.
  slab->buffer->resize(capacity);
  held_bytes_ += slab->buffer->capacity();
  ++slabs_;
  return slab.release();
}

void SmallFileSlabs::Drop(Slab* slab) {
  held_bytes_ -= slab->buffer->capacity();
  --slabs_;
  delete slab;  // its buffer goes back to the pool
}

SmallFileSlabs::Slice SmallFileSlabs::Allocate(size_t size) {
  assert(size > 0);
  if (size > kSlabBytes) {
    Slab* own = NewSlab(size);
    own->used = size;
    own->live = 1;
    return {own, own->buffer->data()};
  }
  if (current_ == nullptr || kSlabBytes - current_->used < size) {
    Slab* fresh = NewSlab(kSlabBytes);
    if (current_ != nullptr && current_->live == 0) Drop(current_);
    current_ = fresh;
  }
  Slice slice{current_, current_->buffer->data() + current_->used};
  current_->used += size;
  ++current_->live;
  return slice;
}

void SmallFileSlabs::Free(Slab* slab) {
  assert(slab->live > 0);
  if (--slab->live > 0) return;
  if (slab == current_) {
    // Reuse it from the start; its bytes are rewritten before being read.
    slab->used = 0;
    return;
  }
  Drop(slab);
}

}  // namespace ctxmem::mmapcache::internal
