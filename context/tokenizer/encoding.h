// An OpenAI byte-pair encoding (o200k_base, cl100k_base) that gives exactly
// the token ids of tiktoken's encode_ordinary: the text is split by the
// encoding's pre-tokenizer (pretokenizer.h) and each piece byte-pair encoded
// (byte_pair_encoder.h). Special-token strings such as "<|endoftext|>" are
// ordinary text, as when the reference assistant calls tiktoken's
// `encode(text, undefined, [])`.
//
//   const Encoding& o200k = Encoding::Get(EncodingName::kO200kBase);
//   absl::StatusOr<size_t> n = o200k.Count("Hello world");  // 2
//
// The rank tables are compiled into the binary at build time, so Get() only
// checks a header (microseconds) and the pages are faulted in as used.
// Encodings live for the whole process and are thread-safe.

#ifndef CTXMEM_CONTEXT_TOKENIZER_ENCODING_H_
#define CTXMEM_CONTEXT_TOKENIZER_ENCODING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "context/tokenizer/byte_pair_encoder.h"
#include "context/tokenizer/pretokenizer.h"

namespace ctxmem::context::tokenizer {

enum class EncodingName { kO200kBase, kCl100kBase };

class Encoding {
 public:
  // The encoding, opened on first use. Aborts only if the embedded image is
  // corrupt, which a build of this project cannot produce.
  static const Encoding& Get(EncodingName name);

  // "o200k_base" or "cl100k_base"; anything else is InvalidArgument.
  static absl::StatusOr<EncodingName> ParseName(std::string_view name);

  std::string_view name() const { return name_; }
  // Number of ordinary (non-special) tokens.
  uint32_t vocabulary_size() const { return encoder_.image().token_count(); }

  // Appends the ids of `text` to `out`. InvalidArgument, naming the byte
  // offset, if `text` is not well-formed UTF-8 (then `out` is unchanged).
  absl::Status Encode(std::string_view text, std::vector<uint32_t>& out) const;

  // The number of ids Encode would append. Allocates nothing once the
  // calling thread's scratch has grown to its longest piece.
  absl::StatusOr<size_t> Count(std::string_view text) const;

  // The bytes of `ids` joined; OutOfRange for an id outside the vocabulary.
  absl::StatusOr<std::string> Decode(const std::vector<uint32_t>& ids) const;

  // Pre-tokenizes and encodes well-formed UTF-8 without checking it.
  void EncodeValidUtf8(std::string_view text, std::vector<uint32_t>& out) const {
    ForEachPiece(pattern_, text, [&](std::string_view piece) { encoder_.EncodePiece(piece, out); });
  }
  size_t CountValidUtf8(std::string_view text) const {
    size_t count = 0;
    ForEachPiece(pattern_, text, [&](std::string_view piece) {
      count += encoder_.CountPiece(piece);
    });
    return count;
  }

  const BytePairEncoder& encoder() const { return encoder_; }

 private:
  Encoding(std::string_view name, PretokenPattern pattern, internal::ImageView image)
      : name_(name), pattern_(pattern), encoder_(image) {}

  std::string_view name_;
  PretokenPattern pattern_;
  BytePairEncoder encoder_;
};

}  // namespace ctxmem::context::tokenizer

#endif  // CTXMEM_CONTEXT_TOKENIZER_ENCODING_H_
