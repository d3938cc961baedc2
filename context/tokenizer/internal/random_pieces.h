// Random pieces for the tokenizer's tests, of the kinds that stress a BPE
// encoder: arbitrary bytes, tokens glued together (cut to length), and text
// drawn from a small alphabet, where merges pile up.

#ifndef CTXMEM_CONTEXT_TOKENIZER_INTERNAL_RANDOM_PIECES_H_
#define CTXMEM_CONTEXT_TOKENIZER_INTERNAL_RANDOM_PIECES_H_

#include <cstddef>
#include <random>
#include <span>
#include <string>

#include "context/tokenizer/internal/image_view.h"

namespace ctxmem::context::tokenizer::internal {

enum class PieceKind { kBytes, kGluedTokens, kAlphabet };

// A piece of `length` bytes of `kind`; kAlphabet draws one of `alphabets`.
inline std::string RandomPiece(std::mt19937& rng, const ImageView& image, size_t length,
                               PieceKind kind, std::span<const std::string> alphabets) {
  std::string piece;
  switch (kind) {
    case PieceKind::kBytes:
      while (piece.size() < length) piece += static_cast<char>(rng());
      break;
    case PieceKind::kGluedTokens:
      while (piece.size() < length) piece += image.TokenBytes(rng() % image.token_count());
      piece.resize(length);
      break;
    case PieceKind::kAlphabet: {
      const std::string& alphabet = alphabets[rng() % alphabets.size()];
      while (piece.size() < length) piece += alphabet[rng() % alphabet.size()];
      break;
    }
  }
  return piece;
}

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_RANDOM_PIECES_H_
