// tiktoken's merge loop over ids, for up to 64 bytes (a chunk of a long
// piece), as a state that makes one merge per Step(), so that several
// independent merges can run interleaved (RunInterleaved).
//
// Why interleave: each merge waits on the pair-table lookups the merge before
// it made (three dependent reads, mostly from L2), so one merge loop on its
// own is a chain of cache latencies. Steps of four independent loops in turn
// keep four chains in flight, and random lowercase text, which is almost all
// such merges, went from 23 to 35 MB/s. One loop at a time, the branch-free
// minimum below loses to a plain scan, whose predicted branches let the
// processor run ahead of the lookups.
//
// The rank of two adjacent parts joined is the token the pair table says
// they merge into: BPE only ever joins two parts into a token whose split
// they are (a joined part's merges are those of its bytes alone), and ranks
// are ids. stepped_merge_test holds the result to tiktoken's loop over bytes.

#ifndef CTXMEM_CONTEXT_TOKENIZER_INTERNAL_STEPPED_MERGE_H_
#define CTXMEM_CONTEXT_TOKENIZER_INTERNAL_STEPPED_MERGE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "context/tokenizer/internal/encoding_image.h"
#include "context/tokenizer/internal/image_view.h"

namespace ctxmem::context::tokenizer::internal {

// The merge of up to kLanes bytes (a power of two, 4..64).
//   - A part is named by the byte it starts at, and a bit per part marks the
//     starts, so a merge clears one bit and nothing moves.
//   - keys_[i] is the rank of part i joined with the next part, shifted left
//     with i below it, or kNoKey: the smallest key is the lowest rank,
//     leftmost on ties, as tiktoken picks. A key is below 2^24, so it is held
//     exactly as a float, whose vector minimum is one SSE instruction on any
//     x86-64 (minps; an integer one needs SSE4.1).
template <size_t kLanes>
class SteppedMerge {
 public:
  static_assert((kLanes & (kLanes - 1)) == 0 && kLanes >= 4 && kLanes <= 64);

  // Sets up the merge of bytes[0, n), 1 <= n <= kLanes.
  void Start(const ImageView& image, const unsigned char* bytes, size_t n) {
    n_ = n;
    for (size_t i = 0; i < n; ++i) ids_[i] = image.ByteToken(bytes[i]);
    for (size_t i = 0; i + 1 < n; ++i) {
      keys_[i] = KeyOf(image.BytePairToken(bytes[i], bytes[i + 1]), i);
    }
    for (size_t i = n - 1; i < kLanes; ++i) keys_[i] = kNoKey;
    starts_ = n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
  }

  // Makes the next merge; false if none is left.
  bool Step(const ImageView& image) {
    const float least = MinKey();
    if (least == kNoKey) return false;
    const auto key = static_cast<uint32_t>(least);
    const uint32_t merged = key >> kLaneBits;
    const size_t at = key & ((uint32_t{1} << kLaneBits) - 1);
    // Part `at` absorbs the next part; the keys on either side change.
    uint64_t after = starts_ & (~uint64_t{1} << at);  // the absorbed part first
    const size_t absorbed = static_cast<size_t>(__builtin_ctzll(after));
    after &= after - 1;
    starts_ &= ~(uint64_t{1} << absorbed);
    keys_[absorbed] = kNoKey;
    ids_[at] = merged;
    keys_[at] = after == 0 ? kNoKey : Key(image, at, merged, ids_[__builtin_ctzll(after)]);
    const uint64_t before = starts_ & ((uint64_t{1} << at) - 1);
    if (before != 0) {
      const size_t previous = static_cast<size_t>(63 - __builtin_clzll(before));
      keys_[previous] = Key(image, previous, ids_[previous], merged);
    }
    return true;
  }

  // Writes the parts' ids and byte lengths; returns how many.
  size_t Finish(uint32_t* ids, uint8_t* lengths) const {
    size_t parts = 0;
    for (uint64_t starts = starts_; starts != 0; ++parts) {
      const size_t part = static_cast<size_t>(__builtin_ctzll(starts));
      starts &= starts - 1;
      const size_t next = starts == 0 ? n_ : static_cast<size_t>(__builtin_ctzll(starts));
      ids[parts] = ids_[part];
      lengths[parts] = static_cast<uint8_t>(next - part);
    }
    return parts;
  }

 private:
  static constexpr int kLaneBits = 6;
  static constexpr float kNoKey = 1 << 30;
  // SSE's width; other targets get their own instructions for it.
  using KeyVector = float __attribute__((vector_size(16)));
  static constexpr size_t kVectorLanes = 4;

  static float Key(const ImageView& image, size_t part, uint32_t left, uint32_t right) {
    return KeyOf(image.PairLookup(left, right), part);
  }
  static float KeyOf(uint32_t rank, size_t part) {
    return rank == kNoToken ? kNoKey
                            : static_cast<float>((rank << kLaneBits) | static_cast<uint32_t>(part));
  }

  // The least key, as a tree of vector minima (latency log2 of the vectors).
  float MinKey() const {
    KeyVector least = LeastKeys<kLanes>(keys_);
    KeyVector swapped = __builtin_shufflevector(least, least, 2, 3, 0, 1);
    least = swapped < least ? swapped : least;
    swapped = __builtin_shufflevector(least, least, 1, 0, 3, 2);
    least = swapped < least ? swapped : least;
    return least[0];
  }
  template <size_t kCount>
  static KeyVector LeastKeys(const float* keys) {
    if constexpr (kCount == kVectorLanes) {
      KeyVector v;
      std::memcpy(&v, keys, sizeof(v));
      return v;
    } else {
      const KeyVector low = LeastKeys<kCount / 2>(keys);
      const KeyVector high = LeastKeys<kCount / 2>(keys + kCount / 2);
      return high < low ? high : low;
    }
  }

  static_assert(kIdBits + kLaneBits <= 24, "a key must be exact as a float");

  float keys_[kLanes];
  uint32_t ids_[kLanes];
  uint64_t starts_;
  size_t n_;
};

// Runs merges[0, count), count <= kWays, to their ends, a step of each in turn.
template <size_t kLanes, size_t kWays>
void RunInterleaved(const ImageView& image, SteppedMerge<kLanes>* merges, size_t count) {
  static_assert(kWays < 32);
  if (count > kWays) count = kWays;  // the rest would never be stepped
  uint32_t running = (uint32_t{1} << count) - 1;
  while (running != 0) {
    for (size_t k = 0; k < kWays; ++k) {
      if (((running >> k) & 1) != 0 && !merges[k].Step(image)) running &= ~(uint32_t{1} << k);
    }
  }
}

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_STEPPED_MERGE_H_
