#include "context/tokenizer/byte_pair_encoder.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <limits>
#include <vector>

#include "context/tokenizer/internal/stepped_merge.h"

namespace ctxmem::context::tokenizer {
namespace internal {

// A direct-mapped, per-thread cache of recently merged pieces and their ids.
// Entries are one cache line and hold the piece's bytes, so a hit is exact
// (never a hash collision); pieces or results too long to fit are not cached.
// The cache is shared by every encoder on the thread, so an entry names the
// encoding it was made with.
struct CachedPiece {
  static constexpr size_t kMaxBytes = 36;
  static constexpr size_t kMaxIds = 6;
  uint8_t length = 0;  // 0: empty slot (pieces are never empty)
  uint8_t id_count = 0;
  uint16_t encoding = 0;
  char bytes[kMaxBytes];
  uint32_t ids[kMaxIds];
};
static_assert(sizeof(CachedPiece) == 64);

}  // namespace internal

using internal::CachedPiece;

namespace {

using internal::kNoToken;
constexpr uint32_t kNoRank = std::numeric_limits<uint32_t>::max();

// Per-thread scratch, grown once: a warm encoder allocates nothing.
struct Scratch {
  std::vector<uint32_t> starts;
  std::vector<uint32_t> ranks;
  std::vector<uint32_t> ids;
  std::vector<uint64_t> reachable;  // bitfield over piece positions
  std::vector<uint8_t> lengths;     // of the tokens the backtracking encoder holds
  std::vector<internal::ImageView::PrefixToken> prefixes;
  std::vector<uint32_t> tokens;
  std::vector<uint8_t> chunk_lengths;  // of the tokens EncodeByChunks holds
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// 2,048 entries (128 KiB per thread that encodes): enough for the working
// vocabulary of a conversation, small enough to stay in L2.
constexpr size_t kPieceCacheEntries = 2048;

CachedPiece* ThreadPieceCache() {
  thread_local std::unique_ptr<CachedPiece[]> cache;
  if (!cache) cache = std::make_unique<CachedPiece[]>(kPieceCacheEntries);
  return cache.get();
}

CachedPiece& CacheSlot(uint64_t hash) {
  // The hash is fully mixed; these bits are as good as any.
  return ThreadPieceCache()[(hash >> 40) % kPieceCacheEntries];
}

bool CacheHit(const CachedPiece& slot, uint16_t encoding, std::string_view piece) {
  return slot.length == piece.size() && slot.encoding == encoding &&
         std::memcmp(slot.bytes, piece.data(), piece.size()) == 0;
}

void CacheStore(CachedPiece& slot, uint16_t encoding, std::string_view piece, const uint32_t* ids,
                size_t count) {
  if (piece.size() > CachedPiece::kMaxBytes || count > CachedPiece::kMaxIds) return;
  slot.length = static_cast<uint8_t>(piece.size());
  slot.encoding = encoding;
  slot.id_count = static_cast<uint8_t>(count);
  std::memcpy(slot.bytes, piece.data(), piece.size());
  std::memcpy(slot.ids, ids, count * sizeof(uint32_t));
}

}  // namespace

void BytePairEncoder::EncodeNonToken(std::string_view piece, std::vector<uint32_t>& out) const {
  if (piece.size() <= kUncachedPieceBytes) {
    EncodeShortPiece(piece, out);
    return;
  }
  if (piece.size() > CachedPiece::kMaxBytes) {
    EncodeLongPiece(piece, out);
    return;
  }
  CachedPiece& slot = CacheSlot(internal::HashTokenBytes(piece.data(), piece.size()));
  if (CacheHit(slot, cache_tag_, piece)) {
    out.insert(out.end(), slot.ids, slot.ids + slot.id_count);
    return;
  }
  EncodeAndCache(piece, slot, out);
}

size_t BytePairEncoder::CountNonToken(std::string_view piece) const {
  if (piece.size() <= kUncachedPieceBytes) {
    uint32_t ids[kShortPieceBytes];
    return MergeShortPiece(piece, ids);
  }
  if (piece.size() > CachedPiece::kMaxBytes) {
    std::vector<uint32_t>& tokens = ThreadScratch().tokens;
    tokens.clear();
    EncodeLongPiece(piece, tokens);
    return tokens.size();
  }
  CachedPiece& slot = CacheSlot(internal::HashTokenBytes(piece.data(), piece.size()));
  if (CacheHit(slot, cache_tag_, piece)) return slot.id_count;
  if (piece.size() <= kShortPieceBytes) {
    // No scratch vector on the way.
    uint32_t ids[kShortPieceBytes];
    const size_t parts = MergeShortPiece(piece, ids);
    CacheStore(slot, cache_tag_, piece, ids, parts);
    return parts;
  }
  std::vector<uint32_t>& tokens = ThreadScratch().tokens;
  tokens.clear();
  EncodeAndCache(piece, slot, tokens);
  return tokens.size();
}

void BytePairEncoder::EncodeAndCache(std::string_view piece, CachedPiece& slot,
                                     std::vector<uint32_t>& out) const {
  const size_t first = out.size();
  if (piece.size() <= kShortPieceBytes) {
    EncodeShortPiece(piece, out);
  } else {
    EncodeLongPiece(piece, out);
  }
  CacheStore(slot, cache_tag_, piece, out.data() + first, out.size() - first);
}

namespace {

// A chunk's merge (internal/stepped_merge.h): lanes for kChunkBytes, and
// how many chunks are merged at once, interleaved (4 and 8 measured alike,
// 2 slower).
constexpr size_t kChunkLanes = 64;
constexpr size_t kChunkWays = 4;
static_assert(BytePairEncoder::kChunkBytes <= kChunkLanes);

// tiktoken's merge loop over ids for n <= kMaxBytes bytes: writes the parts'
// ids (and, with kLengths, their byte lengths to `lengths`), returns how
// many. ranks[i] is the token parts i and i+1 merge into, or kNoToken (above
// every rank). Without kLengths the short-piece path, the hot one for text's
// uncached pieces, skips that bookkeeping.
template <size_t kMaxBytes, bool kLengths>
size_t MergeOverIds(const internal::ImageView& image, const unsigned char* bytes, size_t n,
                    uint32_t* ids, uint8_t* lengths) {
  uint32_t ranks[kMaxBytes];
  for (size_t i = 0; i < n; ++i) {
    ids[i] = image.ByteToken(bytes[i]);
    if constexpr (kLengths) lengths[i] = 1;
  }
  for (size_t i = 0; i + 1 < n; ++i) ranks[i] = image.BytePairToken(bytes[i], bytes[i + 1]);
  size_t parts = n;
  while (parts > 1) {
    uint32_t best = kNoToken;
    size_t at = 0;
    for (size_t i = 0; i + 1 < parts; ++i) {
      if (ranks[i] < best) {
        best = ranks[i];
        at = i;
      }
    }
    if (best == kNoToken) break;
    // Join parts at and at + 1 into `best`.
    ids[at] = best;
    if constexpr (kLengths) lengths[at] = static_cast<uint8_t>(lengths[at] + lengths[at + 1]);
    for (size_t i = at + 1; i + 1 < parts; ++i) {
      ids[i] = ids[i + 1];
      if constexpr (kLengths) lengths[i] = lengths[i + 1];
      if (i + 2 < parts) ranks[i] = ranks[i + 1];
    }
    --parts;
    if (at + 1 < parts) ranks[at] = image.PairLookup(ids[at], ids[at + 1]);
    if (at > 0) ranks[at - 1] = image.PairLookup(ids[at - 1], ids[at]);
  }
  return parts;
}

}  // namespace

void BytePairEncoder::EncodeShortPiece(std::string_view piece, std::vector<uint32_t>& out) const {
  uint32_t ids[kShortPieceBytes];
  out.insert(out.end(), ids, ids + MergeShortPiece(piece, ids));
}

size_t BytePairEncoder::MergeShortPiece(std::string_view piece, uint32_t* ids) const {
  return MergeOverIds<kShortPieceBytes, false>(
      image_, reinterpret_cast<const unsigned char*>(piece.data()), piece.size(), ids, nullptr);
}

void BytePairEncoder::EncodeLongPiece(std::string_view piece, std::vector<uint32_t>& out) const {
  if (TryRunShortcut(piece, out)) return;
  if (piece.size() >= kChunkedPieceBytes && IsAscii(piece)) {
    EncodeByChunks(piece, out);
  } else {
    Backtrack(reinterpret_cast<const unsigned char*>(piece.data()), piece.size(), out);
  }
}

bool BytePairEncoder::IsAscii(std::string_view piece) {
  uint64_t high = 0;
  size_t i = 0;
  for (; i + 8 <= piece.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, piece.data() + i, sizeof(word));
    high |= word;
  }
  for (; i < piece.size(); ++i) high |= static_cast<unsigned char>(piece[i]);
  return (high & 0x8080808080808080ULL) == 0;
}

// Why it is exact: each chunk's merge loop gives the BPE encoding of the
// chunk's bytes, so every pair inside it is valid; a token sequence whose
// adjacent pairs are all valid is the encoding of its bytes (the property the
// backtracking encoder rests on). So only the pair at each seam needs a
// check. A seam that fails is mended by re-encoding a few tokens either side
// of it and keeping the result only if it meets its neighbours in valid
// pairs (what lies outside the window is a contiguous part of a valid
// encoding, hence valid itself); if no window up to kMergeMaxBytes mends it,
// the piece goes to the backtracking encoder, so the cost stays linear.
void BytePairEncoder::EncodeByChunks(std::string_view piece, std::vector<uint32_t>& out) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(piece.data());
  const size_t n = piece.size();
  const size_t first = out.size();
  std::vector<uint8_t>& lengths = ThreadScratch().chunk_lengths;  // of out[first...]
  lengths.clear();
  internal::SteppedMerge<kChunkLanes> merges[kChunkWays];
  uint32_t ids[kChunkBytes];
  uint8_t lens[kChunkBytes];
  for (size_t pos = 0; pos < n;) {
    size_t count = 0;
    for (size_t at = pos; count < kChunkWays && at < n; at += kChunkBytes) {
      merges[count++].Start(image_, bytes + at, std::min(kChunkBytes, n - at));
    }
    internal::RunInterleaved<kChunkLanes, kChunkWays>(image_, merges, count);
    for (size_t k = 0; k < count; ++k) {
      const size_t size = std::min(kChunkBytes, n - pos);
      const size_t parts = merges[k].Finish(ids, lens);
      if (pos == 0 && parts * 5 < size * 2) {
        // Long tokens (fewer than 0.4 a byte): the merge loop's work grows
        // with the merges, bytes - tokens, and backtracking's with the
        // tokens, so this piece is cheaper to backtrack.
        Backtrack(bytes, n, out);
        return;
      }
      const size_t seam = out.size();
      out.insert(out.end(), ids, ids + parts);
      lengths.insert(lengths.end(), lens, lens + parts);
      if (seam > first && !IsValidPair(out[seam - 1], out[seam]) &&
          !MendSeam(bytes, first, seam, pos, out)) {
        out.resize(first);
        Backtrack(bytes, n, out);
        return;
      }
      pos += size;
    }
  }
}

bool BytePairEncoder::MendSeam(const unsigned char* bytes, size_t first, size_t seam,
                               size_t seam_byte, std::vector<uint32_t>& out) const {
  std::vector<uint8_t>& lengths = ThreadScratch().chunk_lengths;
  uint32_t ids[kMergeMaxBytes];
  uint8_t lens[kMergeMaxBytes];
  for (size_t reach = 2; reach <= 32; reach *= 2) {
    const size_t lo = seam - std::min(reach, seam - first);
    const size_t hi = std::min(out.size(), seam + reach);
    size_t begin = seam_byte;
    for (size_t i = lo; i < seam; ++i) begin -= lengths[i - first];
    size_t end = seam_byte;
    for (size_t i = seam; i < hi; ++i) end += lengths[i - first];
    if (end - begin > kMergeMaxBytes) return false;
    const size_t parts = MergeOverIds<kMergeMaxBytes, true>(image_, bytes + begin, end - begin, ids, lens);
    if ((lo > first && !IsValidPair(out[lo - 1], ids[0])) ||
        (hi < out.size() && !IsValidPair(ids[parts - 1], out[hi]))) {
      continue;
    }
    out.erase(out.begin() + static_cast<ptrdiff_t>(lo), out.begin() + static_cast<ptrdiff_t>(hi));
    out.insert(out.begin() + static_cast<ptrdiff_t>(lo), ids, ids + parts);
    lengths.erase(lengths.begin() + static_cast<ptrdiff_t>(lo - first),
                  lengths.begin() + static_cast<ptrdiff_t>(hi - first));
    lengths.insert(lengths.begin() + static_cast<ptrdiff_t>(lo - first), lens, lens + parts);
    return true;
  }
  return false;
}

// tiktoken's merge loop: parts[i] starts at starts[i]; ranks[i] is the rank of
// parts i and i+1 joined. Merge the lowest rank (leftmost on ties) until no
// adjacent pair is a token.
void BytePairEncoder::EncodeByMergeLoop(std::string_view piece, std::vector<uint32_t>& out) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(piece.data());
  const size_t n = piece.size();
  if (n == 1) {
    out.push_back(image_.ByteToken(bytes[0]));
    return;
  }
  Scratch& scratch = ThreadScratch();
  std::vector<uint32_t>& starts = scratch.starts;
  std::vector<uint32_t>& ranks = scratch.ranks;
  std::vector<uint32_t>& ids = scratch.ids;
  starts.resize(n + 1);
  ranks.resize(n + 1);
  ids.resize(n);
  for (size_t i = 0; i <= n; ++i) starts[i] = static_cast<uint32_t>(i);
  for (size_t i = 0; i < n; ++i) ids[i] = image_.ByteToken(bytes[i]);
  for (size_t i = 0; i + 1 < n; ++i) ranks[i] = image_.Find(bytes + i, 2);
  ranks[n - 1] = kNoRank;
  ranks[n] = kNoRank;
  // starts[0..parts] are the boundaries, ids[0..parts) the parts' tokens,
  // ranks[0..parts-1) the ranks (ids) of adjacent parts joined.
  size_t parts = n;
  auto joined_rank = [&](size_t i) -> uint32_t {
    // Rank of parts i and i+1 joined: bytes [starts[i], starts[i+2]).
    if (i + 2 > parts) return kNoRank;
    return image_.Find(bytes + starts[i], starts[i + 2] - starts[i]);
  };
  while (true) {
    uint32_t best = kNoRank;
    size_t at = 0;
    for (size_t i = 0; i + 1 < parts; ++i) {
      if (ranks[i] < best) {
        best = ranks[i];
        at = i;
      }
    }
    if (best == kNoRank) break;
    // Join parts at and at+1 into token `best`: drop boundary at+1.
    ids[at] = best;
    for (size_t i = at + 1; i < parts; ++i) {
      starts[i] = starts[i + 1];
      ranks[i] = ranks[i + 1];
      if (i + 1 < parts) ids[i] = ids[i + 1];
    }
    --parts;
    ranks[at] = joined_rank(at);
    if (at > 0) ranks[at - 1] = joined_rank(at - 1);
  }
  out.insert(out.end(), ids.begin(), ids.begin() + static_cast<ptrdiff_t>(parts));
}

namespace {

// A direct-mapped, per-thread memo of IsValidPair: long runs of one character
// (=====, tabs, dashes) ask about the same few pairs thousands of times, and
// each answer replays up to ~2 x 128 merges. An entry packs the encoding's
// tag (16 bits), both ids (18 bits each) and the answer, so a hit is exact.
constexpr int kPairMemoBits = 12;
constexpr size_t kPairMemoEntries = size_t{1} << kPairMemoBits;

uint64_t* ThreadPairMemo() {
  thread_local uint64_t memo[kPairMemoEntries] = {};
  return memo;
}

}  // namespace

bool BytePairEncoder::IsValidPair(uint32_t left, uint32_t right) const {
  static_assert(internal::kIdBits == 18, "the memo packs two 18-bit ids");
  const uint64_t key = (uint64_t{cache_tag_} << 37) | (uint64_t{left} << 19) |
                       (uint64_t{right} << 1);
  // One multiply picks the slot (Fibonacci hashing): the entry holds the
  // whole key, so a weak index costs hits, never correctness.
  uint64_t& entry =
      ThreadPairMemo()[(key * 0x9e3779b97f4a7c15ULL) >> (64 - kPairMemoBits)];
  if ((entry & ~uint64_t{1}) == key) return (entry & 1) != 0;
  const bool valid = ReplayMerges(left, right);
  entry = key | (valid ? 1 : 0);
  return valid;
}

bool BytePairEncoder::ReplayMerges(uint32_t left, uint32_t right) const {
  // Undo the two tokens' merges newest first; if at any point a merge across
  // the boundary has a lower rank than the merge just undone, BPE would have
  // made it, so the pair cannot occur. The newest merge is the higher id of
  // the two, unless that token is a leaf of the merges (a byte, split into
  // itself). Both split entries are read each step and the side picked from
  // them: fewer unpredictable branches than testing one side, then the other.
  uint32_t limit = kNoRank;
  while (true) {
    if (image_.PairMergesBelow(left, right, limit) != kNoToken) return false;
    const uint32_t left_right = image_.SplitRight(left);
    const uint32_t right_left = image_.SplitLeft(right);
    const bool left_splits = left_right != left;
    const bool right_splits = right_left != right;
    if (!left_splits && !right_splits) return true;
    const bool undo_left = left_splits && (left > right || !right_splits);
    limit = undo_left ? left : right + 1;
    left = undo_left ? left_right : left;
    right = undo_left ? right : right_left;
  }
}

void BytePairEncoder::EncodeByBacktracking(std::string_view piece,
                                           std::vector<uint32_t>& out) const {
  if (TryRunShortcut(piece, out)) return;
  Backtrack(reinterpret_cast<const unsigned char*>(piece.data()), piece.size(), out);
}

bool BytePairEncoder::TryRunShortcut(std::string_view piece, std::vector<uint32_t>& out) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(piece.data());
  const size_t n = piece.size();
  // The first run long enough to pay for the shortcut, if any. One run per
  // piece, so a piece costs at most about two ordinary passes. A run of
  // kMinRunBytes holds some [128k, 128k + 128] whole, so probing those
  // windows' ends and middles finds every candidate.
  static_assert(kMinRunBytes >= 256);
  for (size_t window = 0; window + 128 < n; window += 128) {
    const unsigned char c = bytes[window];
    if (bytes[window + 64] != c || bytes[window + 128] != c) continue;
    size_t begin = window;
    while (begin > 0 && bytes[begin - 1] == c) --begin;
    size_t end = window + 1;
    while (end < n && bytes[end] == c) ++end;
    if (end - begin >= kMinRunBytes) {
      switch (EncodeRun(piece, begin, end, out)) {
        case RunShortcut::kDone:
          return true;
        case RunShortcut::kFailed:
          return false;
        case RunShortcut::kNotApplicable:
          break;
      }
    }
    window = (end - 1) / 128 * 128;  // the next window starts past the run
  }
  return false;
}

// Why the shortcut is exact (the properties of BPE that the backtracking
// encoder rests on, as published with GitHub's `bpe` crate): a token sequence
// is the BPE encoding of its bytes iff it starts with a valid encoding and
// each next token forms a valid pair with the one before (IsValidPair), and
// any contiguous part of a valid encoding is the valid encoding of its bytes.
// So with a token T = c^t that is a valid pair with itself,
//   S = the encoding of bytes [0, begin + 4t), up to its last T,
//   T^m,
//   F = the encoding of the piece's last bytes from a few copies of T before
//       the run's end, from its first T that lines up with S's,
// laid end to end over the piece's bytes, form its encoding: S and F are
// valid, and every pair where the three meet is (T, T). Nothing is assumed
// about how BPE treats runs; if S or F has no such T, the shortcut fails.
BytePairEncoder::RunShortcut BytePairEncoder::EncodeRun(std::string_view piece, size_t begin,
                                                        size_t end,
                                                        std::vector<uint32_t>& out) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(piece.data());
  const size_t n = piece.size();
  // T: the longest token c^t that may follow itself.
  internal::ImageView::PrefixToken prefixes[256];
  size_t count = image_.PrefixTokens(bytes + begin, end - begin, prefixes);
  uint32_t repeated = kNoToken;
  size_t t = 0;
  while (count > 0) {
    const internal::ImageView::PrefixToken candidate = prefixes[--count];
    const uint32_t token = image_.TokenId(candidate);
    if (IsValidPair(token, token)) {
      repeated = token;
      t = candidate.length;
      break;
    }
  }
  if (repeated == kNoToken || end - begin < 8 * t) return RunShortcut::kNotApplicable;

  const size_t first = out.size();
  // S, cut after its last T. The run is maximal, so a T that ends after
  // `begin` lies inside it.
  Backtrack(bytes, begin + 4 * t, out);
  const std::vector<uint8_t>& lengths = ThreadScratch().lengths;  // of out[first...]
  size_t kept = out.size();
  size_t at = begin + 4 * t;  // where out[kept - 1] ends
  while (kept > first && out[kept - 1] != repeated) {
    at -= lengths[kept - 1 - first];
    --kept;
  }
  if (kept == first || at <= begin) {
    out.resize(first);
    return RunShortcut::kFailed;
  }
  out.resize(kept);
  // F, from a position that lines up with `at` (a multiple of t after it).
  const size_t rest = end - at;
  const size_t from = end - std::min(rest, rest % t + 4 * t);
  const size_t tail = out.size();
  Backtrack(bytes + from, n - from, out);
  size_t x = from;  // where out[i] starts
  for (size_t i = tail; i < out.size() && x < end; x += lengths[i - tail], ++i) {
    if (out[i] != repeated || (x - at) % t != 0) continue;
    // Keep S, then T^m over [at, x), then F from out[i] on.
    out.erase(out.begin() + static_cast<ptrdiff_t>(tail), out.begin() + static_cast<ptrdiff_t>(i));
    out.insert(out.begin() + static_cast<ptrdiff_t>(tail), (x - at) / t, repeated);
    return RunShortcut::kDone;
  }
  out.resize(first);
  return RunShortcut::kFailed;
}

void BytePairEncoder::Backtrack(const unsigned char* bytes, size_t n,
                                std::vector<uint32_t>& out) const {
  using PrefixToken = internal::ImageView::PrefixToken;
  Scratch& scratch = ThreadScratch();
  // reachable[p]: an encoding of bytes [p, n) may still start at p. Cleared
  // when every choice from p failed, so no position is explored twice.
  std::vector<uint64_t>& reachable = scratch.reachable;
  reachable.assign(n / 64 + 1, ~uint64_t{0});
  auto is_reachable = [&](size_t p) { return (reachable[p / 64] >> (p % 64)) & 1; };
  std::vector<uint8_t>& lengths = scratch.lengths;
  lengths.clear();
  // The tokens that prefix the rest of the piece at pos, shortest first, from
  // one trie walk; candidates [0, count) are still untried.
  std::vector<PrefixToken>& prefixes = scratch.prefixes;
  prefixes.resize(image_.max_token_length());
  PrefixToken* const candidates = prefixes.data();

  const size_t first = out.size();
  size_t pos = 0;
  size_t count = image_.PrefixTokens(bytes, n, candidates);
  while (pos < n) {
    const uint32_t last = lengths.empty() ? kNoToken : out.back();
    bool kept = false;
    while (count > 0) {
      const PrefixToken candidate = candidates[--count];
      const size_t end = pos + candidate.length;
      if (!is_reachable(end)) continue;
      const uint32_t token = image_.TokenId(candidate);
      if (last != kNoToken && !IsValidPair(last, token)) continue;
      out.push_back(token);
      lengths.push_back(static_cast<uint8_t>(candidate.length));
      pos = end;
      kept = true;
      break;
    }
    if (kept) {
      count = image_.PrefixTokens(bytes + pos, n - pos, candidates);
      continue;
    }
    if (lengths.empty()) {
      // Unreachable for a consistent vocabulary (every byte is a token and
      // single bytes always pair); if a rank file ever breaks that, fall
      // back to the merge loop rather than guess.
      out.resize(first);
      EncodeByMergeLoop(std::string_view(reinterpret_cast<const char*>(bytes), n), out);
      for (size_t i = first; i < out.size(); ++i) {
        lengths.push_back(static_cast<uint8_t>(image_.TokenLength(out[i])));
      }
      return;
    }
    // Nothing fits at pos: give up the previous token and try the tokens
    // that are shorter prefixes of its bytes (one walk over them).
    reachable[pos / 64] &= ~(uint64_t{1} << (pos % 64));
    const size_t length = lengths.back();
    lengths.pop_back();
    out.pop_back();
    pos -= length;
    count = image_.PrefixTokens(bytes + pos, length - 1, candidates);
  }
}

}  // namespace ctxmem::context::tokenizer
