// Byte-pair encoding of one pre-tokenized piece, exactly as tiktoken does it.
//
// tiktoken merges a piece by repeatedly joining the adjacent pair whose joined
// bytes have the lowest rank (leftmost on ties), which is quadratic in the
// piece's length. This encoder gives the same ids by these routes:
//   - a piece that is itself a token (most pieces of text): one trie walk;
//   - a short piece (up to kShortPieceBytes): tiktoken's merge loop, on ids;
//   - a long piece of short tokens (random text, base64): chunks merged that
//     way, checked and mended where they meet (EncodeByChunks);
//   - any other piece: the backtracking encoder published with GitHub's `bpe`
//     crate: take the longest token that is a prefix, keep it if BPE could
//     leave it next to the previous token (checked by replaying the two
//     tokens' merges), else try shorter prefixes, else step back. Linear in
//     practice, so a 100 KB piece costs about what 100 KB of prose costs.
//     A long run of one byte (`=` x 20,000) inside such a piece costs two
//     short passes around a token T repeated in between (EncodeRun).
// tiktoken's merge loop itself is kept as EncodeByMergeLoop, the reference
// the tests hold the others to.
//
// Thread-safe: all state is the read-only image plus per-call scratch.

#ifndef CTXMEM_CONTEXT_TOKENIZER_BYTE_PAIR_ENCODER_H_
#define CTXMEM_CONTEXT_TOKENIZER_BYTE_PAIR_ENCODER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "context/tokenizer/internal/image_view.h"

namespace ctxmem::context::tokenizer {
namespace internal {
struct CachedPiece;  // an entry of the per-thread piece cache (byte_pair_encoder.cc)
}  // namespace internal

class BytePairEncoder {
 public:
  explicit BytePairEncoder(internal::ImageView image)
      : image_(image), cache_tag_(CacheTag(image)) {}

  // Appends the ids of `piece` (non-empty) to `out`.
  void EncodePiece(std::string_view piece, std::vector<uint32_t>& out) const {
    const auto* data = reinterpret_cast<const unsigned char*>(piece.data());
    const uint32_t whole = image_.Find(data, piece.size());
    if (whole != internal::kNoToken) {
      out.push_back(whole);
      return;
    }
    EncodeNonToken(piece, out);
  }

  // The number of ids EncodePiece would append.
  size_t CountPiece(std::string_view piece) const {
    const auto* data = reinterpret_cast<const unsigned char*>(piece.data());
    if (image_.Find(data, piece.size()) != internal::kNoToken) return 1;
    return CountNonToken(piece);
  }

  // tiktoken's algorithm and this encoder's, exposed so tests can hold them
  // to each other and benchmarks can time them.
  void EncodeByMergeLoop(std::string_view piece, std::vector<uint32_t>& out) const;
  void EncodeByBacktracking(std::string_view piece, std::vector<uint32_t>& out) const;

  // Pieces up to this many bytes that are not tokens take EncodeShortPiece:
  // there the backtracking encoder's setup and validity replays cost more
  // than the merge loop's few independent lookups (random mixed-case text,
  // mostly such pieces, 23 -> 33 MB/s; 8, 12 and 16 measured, 12 kept).
  static constexpr size_t kShortPieceBytes = 12;
  // Pieces up to this many bytes bypass the piece cache: merging them costs
  // less than a probe and a store in a 128 KiB table does when text does not
  // repeat (random mixed case 32 -> 37-38 MB/s), while realistic text pays
  // 0.8% more instructions for the few it would have found there (5, 6, 7
  // and 8 measured: 8 gave mixed case 40 MB/s for 2.5% more on realistic).
  static constexpr size_t kUncachedPieceBytes = 6;
  static_assert(kUncachedPieceBytes <= kShortPieceBytes);
  // tiktoken's merge loop over ids, for a piece of 1..kShortPieceBytes bytes:
  // the rank of two adjacent parts joined is the token the pair table says
  // they merge into, since BPE only ever joins two parts into a token whose
  // split they are (a joined part's merges are those of its bytes alone).
  // Tests hold it to EncodeByMergeLoop, which ranks by the joined bytes.
  void EncodeShortPiece(std::string_view piece, std::vector<uint32_t>& out) const;
  // ASCII pieces of kChunkedPieceBytes or more without a long run of one byte:
  // the piece cut into chunks of kChunkBytes, each merged as above (four at a
  // time, interleaved: internal/stepped_merge.h), with the pair at each seam
  // checked and mended (byte_pair_encoder.cc says why that is exact). The
  // merge loop's work grows with the merges and backtracking's with the
  // tokens, so a piece whose first chunk has long tokens is backtracked
  // instead. Chunks of 24, 32, 48 and 64 bytes measured on random letters
  // and punctuation, 64 kept (48 within 4%, 24 and 32 slower).
  static constexpr size_t kChunkBytes = 64;
  static constexpr size_t kChunkedPieceBytes = 64;
  // The most bytes a window mending a seam takes (MergeOverIds's bound).
  static constexpr size_t kMergeMaxBytes = 64;
  static_assert(kShortPieceBytes <= kChunkBytes && kChunkBytes <= kMergeMaxBytes);
  void EncodeByChunks(std::string_view piece, std::vector<uint32_t>& out) const;

  // Whether BPE can leave `left` and `right` adjacent in an encoding.
  bool IsValidPair(uint32_t left, uint32_t right) const;

  const internal::ImageView& image() const { return image_; }

 private:
  // EncodeShortPiece into `ids` (room for kShortPieceBytes); returns how many.
  size_t MergeShortPiece(std::string_view piece, uint32_t* ids) const;
  // A piece that is not a token: up to kUncachedPieceBytes by
  // EncodeShortPiece; else through the calling thread's piece cache (text
  // repeats its words, and a cached piece costs one probe instead of an
  // encoding), and on a miss by EncodeShortPiece or EncodeLongPiece.
  void EncodeNonToken(std::string_view piece, std::vector<uint32_t>& out) const;
  size_t CountNonToken(std::string_view piece) const;
  // Encodes a piece the cache missed and stores it in `slot`, the thread's
  // cache entry its hash picked.
  void EncodeAndCache(std::string_view piece, internal::CachedPiece& slot,
                      std::vector<uint32_t>& out) const;
  // Pieces longer than kShortPieceBytes: by the run shortcut if it serves,
  // else by chunks, or by backtracking if they are shorter than
  // kChunkedPieceBytes or not ASCII. Chunks lose on emoji and Unicode spaces
  // and gain nothing on CJK: the merge loop pays every byte-level merge of
  // each multi-byte character, while such text repeats enough for
  // backtracking's validity memo to hit (measured with four-way 64-byte
  // chunks: emoji 140 -> 80 MB/s, CJK unchanged; combining marks, the one
  // gain, are well above the realistic figure either way).
  void EncodeLongPiece(std::string_view piece, std::vector<uint32_t>& out) const;
  static bool IsAscii(std::string_view piece);
  // The run shortcut (EncodeRun) for the piece's first long run of one
  // byte, if it has one; true if it encoded the piece, else `out` is
  // unchanged.
  bool TryRunShortcut(std::string_view piece, std::vector<uint32_t>& out) const;
  // Re-encodes a window around the invalid pair out[seam - 1], out[seam]
  // (seam_byte: where out[seam] starts) until it meets its neighbours in
  // valid pairs; false if no window up to kMergeMaxBytes does.
  bool MendSeam(const unsigned char* bytes, size_t first, size_t seam, size_t seam_byte,
                std::vector<uint32_t>& out) const;
  // The backtracking encoder proper, without the shortcut for runs. Leaves
  // the byte length of each id it appended in the thread's scratch
  // (Scratch::lengths), so callers need not look tokens up again.
  void Backtrack(const unsigned char* bytes, size_t n, std::vector<uint32_t>& out) const;
  // The shortcut for a maximal run of one byte at [begin, end) of the piece
  // (byte_pair_encoder.cc says why it is exact). Leaves `out` unchanged
  // unless it returns kDone; kFailed means it cost a pass and is not worth
  // trying again on this piece.
  enum class RunShortcut { kNotApplicable, kFailed, kDone };
  static constexpr size_t kMinRunBytes = 256;
  RunShortcut EncodeRun(std::string_view piece, size_t begin, size_t end,
                        std::vector<uint32_t>& out) const;
  // IsValidPair without the per-thread memo.
  bool ReplayMerges(uint32_t left, uint32_t right) const;

  // Names this encoding in the per-thread piece cache: derived from the
  // fingerprint of the rank file the image was compiled from, never 0.
  static uint16_t CacheTag(const internal::ImageView& image) {
    const uint64_t fingerprint = image.header().source_fingerprint;
    const uint16_t tag = static_cast<uint16_t>(fingerprint ^ (fingerprint >> 16) ^
                                               (fingerprint >> 32) ^ (fingerprint >> 48));
    return tag == 0 ? 1 : tag;
  }

  internal::ImageView image_;
  uint16_t cache_tag_;
};

}  // namespace ctxmem::context::tokenizer

#endif  // CTXMEM_CONTEXT_TOKENIZER_BYTE_PAIR_ENCODER_H_
