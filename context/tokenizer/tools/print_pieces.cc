// Prints the pre-tokenizer's pieces of each document in a corpus file, for
// pretokenizer_oracle.mjs to compare with its regexes.
//
//   print_pieces --pattern=o200k|cl100k CORPUS
//
// CORPUS is a sequence of documents, each framed as "<byte length>\n<bytes>".
// Output: one line per document, the byte lengths of its pieces separated by
// spaces (an empty line for an empty document).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "context/tokenizer/pretokenizer.h"

namespace {

using ctxmem::context::tokenizer::ForEachPiece;
using ctxmem::context::tokenizer::PretokenPattern;

int Usage() {
  std::cerr << "usage: print_pieces --pattern=o200k|cl100k CORPUS\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Usage();
  PretokenPattern pattern;
  if (std::strcmp(argv[1], "--pattern=o200k") == 0) {
    pattern = PretokenPattern::kO200k;
  } else if (std::strcmp(argv[1], "--pattern=cl100k") == 0) {
    pattern = PretokenPattern::kCl100k;
  } else {
    return Usage();
  }
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::cerr << "print_pieces: cannot open " << argv[2] << "\n";
    return 1;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string corpus = buffer.str();

  std::string out;
  size_t pos = 0;
  while (pos < corpus.size()) {
    const size_t newline = corpus.find('\n', pos);
    if (newline == std::string::npos) {
      std::cerr << "print_pieces: bad frame at byte " << pos << "\n";
      return 1;
    }
    char* end = nullptr;
    const unsigned long long length = std::strtoull(corpus.c_str() + pos, &end, 10);
    if (end != corpus.c_str() + newline || length > corpus.size() - newline - 1) {
      std::cerr << "print_pieces: bad frame at byte " << pos << "\n";
      return 1;
    }
    const std::string_view doc(corpus.data() + newline + 1, length);
    bool first = true;
    ForEachPiece(pattern, doc, [&](std::string_view piece) {
      if (!first) out.push_back(' ');
      first = false;
      out += std::to_string(piece.size());
    });
    out.push_back('\n');
    pos = newline + 1 + length;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
