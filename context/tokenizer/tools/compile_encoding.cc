// compile_encoding: turns an OpenAI `.tiktoken` rank file into the encoding
// image the tokenizer embeds (internal/encoding_image.h documents the layout).
//
//   compile_encoding --input=o200k_base.tiktoken --output=o200k_base.image
//
// Runs at build time. Besides the plain tables it precomputes what the linear
// encoder of long pieces needs: for every token, the pair of tokens BPE merges
// to make it (following the published construction of GitHub's `bpe` crate:
// the first prefix/suffix split, longest prefix first, that is itself a valid
// BPE pair), a table from those pairs back to the token, and a double-array
// trie that holds the token ids, for longest-prefix matches.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <set>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "context/tokenizer/internal/encoding_image.h"
#include "context/tokenizer/internal/token_hash.h"

namespace ctxmem::context::tokenizer::internal {
namespace {

constexpr size_t kAlignment = 64;

struct Vocabulary {
  std::vector<std::string> tokens;  // indexed by rank
  uint64_t fingerprint = 0;
};

absl::StatusOr<Vocabulary> ReadRankFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  Vocabulary vocabulary;
  uint64_t fingerprint = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) fingerprint = (fingerprint ^ c) * 0x100000001b3ULL;
  vocabulary.fingerprint = fingerprint;

  std::vector<std::pair<uint32_t, std::string>> ranked;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
    uint32_t rank = 0;
    std::string bytes;
    if (fields.size() != 2 || !absl::SimpleAtoi(fields[1], &rank) ||
        !absl::Base64Unescape(fields[0], &bytes) || bytes.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": expected '<base64> <rank>'"));
    }
    if (bytes.size() > 255) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": a token longer than 255 bytes"));
    }
    ranked.emplace_back(rank, std::move(bytes));
  }
  std::sort(ranked.begin(), ranked.end());
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (ranked[i].first != i) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": ranks are not dense: expected rank ", i, ", found ", ranked[i].first));
    }
  }
  if (ranked.size() > kMaxTokens) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": too many tokens"));
  }
  for (auto& [rank, bytes] : ranked) vocabulary.tokens.push_back(std::move(bytes));
  return vocabulary;
}

class ImageBuilder {
 public:
  explicit ImageBuilder(const Vocabulary& vocabulary)
      : tokens_(vocabulary.tokens), fingerprint_(vocabulary.fingerprint) {}

  absl::StatusOr<std::string> Build() {
    BuildHashTable();
    if (auto status = CheckLookups(); !status.ok()) return status;
    BuildNextPrefix();
    BuildSplits();
    BuildPairTable();
    if (auto status = BuildTrie(); !status.ok()) return status;
    if (auto status = CheckTrie(); !status.ok()) return status;
    return Serialize();
  }

 private:
  // Inserts `id` into an open-addressing table of 1 << bits slots.
  static void Insert(std::vector<uint32_t>& table, uint32_t bits, uint64_t hash, uint32_t id) {
    const uint32_t mask = (1u << bits) - 1;
    uint32_t i = static_cast<uint32_t>(hash) & mask;
    while (table[i] != kEmptySlot) i = (i + 1) & mask;
    table[i] = (SlotTag(hash) << kIdBits) | id;
  }
  // Slots for `keys` entries at a load of at most 0.8.
  static uint32_t TableBits(size_t keys) {
    uint32_t bits = 4;
    while ((size_t{1} << bits) * 4 < keys * 5) ++bits;
    return bits;
  }

  uint32_t Find(std::string_view bytes) const {
    const uint64_t hash = HashTokenBytes(bytes.data(), bytes.size());
    const uint32_t mask = (1u << hash_bits_) - 1;
    for (uint32_t i = static_cast<uint32_t>(hash) & mask;; i = (i + 1) & mask) {
      const uint32_t slot = hash_[i];
      if (slot == kEmptySlot) return kNoToken;
      const uint32_t id = slot & kIdMask;
      if (tokens_[id] == bytes) return id;
    }
  }

  void BuildHashTable() {
    hash_bits_ = TableBits(tokens_.size());
    hash_.assign(size_t{1} << hash_bits_, kEmptySlot);
    for (uint32_t id = 0; id < tokens_.size(); ++id) {
      Insert(hash_, hash_bits_, HashTokenBytes(tokens_[id].data(), tokens_[id].size()), id);
    }
  }

  absl::Status CheckLookups() const {
    for (uint32_t id = 0; id < tokens_.size(); ++id) {
      if (Find(tokens_[id]) != id) {
        return absl::InvalidArgumentError(absl::StrCat("token ", id, " is not unique"));
      }
    }
    for (int byte = 0; byte < 256; ++byte) {
      if (Find(std::string(1, static_cast<char>(byte))) == kNoToken) {
        return absl::InvalidArgumentError(absl::StrCat("byte ", byte, " has no token"));
      }
    }
    return absl::OkStatus();
  }

  // The longest token that is a proper prefix of each token: the order in
  // which BuildSplits tries splits (at run time the trie walk yields it).
  void BuildNextPrefix() {
    next_prefix_.assign(tokens_.size(), kNoToken);
    for (uint32_t id = 0; id < tokens_.size(); ++id) {
      const std::string& token = tokens_[id];
      for (size_t length = token.size() - 1; length >= 1; --length) {
        const uint32_t prefix = Find(std::string_view(token).substr(0, length));
        if (prefix != kNoToken) {
          next_prefix_[id] = prefix;
          break;
        }
      }
    }
  }

  uint32_t PairLookup(uint32_t left, uint32_t right) const {
    auto it = pair_.find((uint64_t{left} << 32) | right);
    return it == pair_.end() ? kNoToken : it->second;
  }

  // Whether BPE can leave `left` and `right` side by side: replays, in rank
  // order, the merges that built them and checks that no merge across their
  // boundary would have won first.
  bool IsValidPair(uint32_t left, uint32_t right) const {
    uint32_t limit = kNoToken;
    while (true) {
      const uint32_t merged = PairLookup(left, right);
      if (merged != kNoToken && merged < limit) return false;
      if (left > right) {
        limit = left;
        left = split_[left].second;
        if (left == limit) {
          limit = right + 1;
          right = split_[right].first;
          if (right + 1 == limit) return true;
        }
      } else {
        limit = right + 1;
        right = split_[right].first;
        if (right + 1 == limit) {
          limit = left;
          left = split_[left].second;
          if (left == limit) return true;
        }
      }
    }
  }

  void BuildSplits() {
    split_.clear();
    split_.reserve(tokens_.size());
    for (uint32_t id = 0; id < tokens_.size(); ++id) {
      const std::string& token = tokens_[id];
      bool found = false;
      for (uint32_t left = next_prefix_[id]; left != kNoToken; left = next_prefix_[left]) {
        const uint32_t right = Find(std::string_view(token).substr(tokens_[left].size()));
        if (right != kNoToken && left < id && right < id && IsValidPair(left, right)) {
          pair_.emplace((uint64_t{left} << 32) | right, id);
          split_.emplace_back(left, right);
          found = true;
          break;
        }
      }
      if (!found) split_.emplace_back(id, id);
    }
  }

  absl::Status BuildTrie() {
    std::vector<uint32_t> sorted(tokens_.size());
    for (uint32_t i = 0; i < sorted.size(); ++i) sorted[i] = i;
    std::sort(sorted.begin(), sorted.end(),
              [&](uint32_t a, uint32_t b) { return tokens_[a] < tokens_[b]; });

    struct Node {
      uint32_t slot;
      uint32_t lo, hi;  // range of `sorted` under this node
      uint32_t depth;
      uint8_t label;
    };
    std::vector<uint8_t> used_slot(1, 1);  // the root is slot 0
    std::vector<uint8_t> used_base(1, 1);  // base 0 would let byte 0 reach the root
    trie_.assign(1, 0);
    std::set<uint32_t> holes;  // unused slots below used_slot.size()

    std::deque<Node> queue;
    queue.push_back({0, 0, static_cast<uint32_t>(sorted.size()), 0, 0});
    // The slots a node's base must leave free, relative to it: its children's
    // labels, then TrieSlot::kIdOffset if the node is a token with children.
    std::vector<uint32_t> labels;
    std::vector<std::pair<uint32_t, uint32_t>> child_ranges;
    while (!queue.empty()) {
      const Node node = queue.front();
      queue.pop_front();
      uint32_t token = kNoToken;
      uint32_t lo = node.lo;
      if (node.depth > 0 && tokens_[sorted[lo]].size() == node.depth) {
        token = sorted[lo];
        ++lo;
      }
      labels.clear();
      child_ranges.clear();
      for (uint32_t i = lo; i < node.hi;) {
        const uint8_t c = static_cast<uint8_t>(tokens_[sorted[i]][node.depth]);
        uint32_t j = i + 1;
        while (j < node.hi && static_cast<uint8_t>(tokens_[sorted[j]][node.depth]) == c) ++j;
        labels.push_back(c);
        child_ranges.emplace_back(i, j);
        i = j;
      }
      if (labels.empty()) {
        if (token == kNoToken) return absl::InternalError("a trie leaf that is no token");
        trie_[node.slot] = TrieSlot::Make(TrieSlot::kLeaf, node.label, token);
        continue;
      }
      const size_t children = labels.size();
      if (token != kNoToken) labels.push_back(TrieSlot::kIdOffset);
      // First fit among the lowest holes (bounded, so a hole that fits no one
      // costs little), else right after the last used slot.
      uint32_t base = 0;
      int tried = 0;
      for (auto it = holes.begin(); it != holes.end() && tried < 512; ++it, ++tried) {
        if (*it < labels[0]) continue;
        const uint32_t b = *it - labels[0];
        if (b == 0 || (b < used_base.size() && used_base[b])) continue;
        bool fits = true;
        for (uint32_t c : labels) {
          const uint32_t s = b + c;
          if (s < used_slot.size() && used_slot[s]) {
            fits = false;
            break;
          }
        }
        if (fits) {
          base = b;
          break;
        }
      }
      if (base == 0) {
        const uint32_t end = static_cast<uint32_t>(used_slot.size());
        uint32_t b = end > labels[0] ? end - labels[0] : 1;
        if (b == 0) b = 1;
        while (b < used_base.size() && used_base[b]) ++b;
        base = b;
      }
      if (base + labels.back() >= TrieSlot::kBaseMask) {
        return absl::ResourceExhaustedError("trie too large");
      }
      if (used_base.size() <= base) used_base.resize(base + 1, 0);
      used_base[base] = 1;
      const uint32_t needed = base + labels.back() + 1;
      for (uint32_t s = static_cast<uint32_t>(used_slot.size()); s < needed; ++s) {
        holes.insert(s);
      }
      if (used_slot.size() < needed) {
        used_slot.resize(needed, 0);
        trie_.resize(needed, 0);
      }
      for (uint32_t c : labels) {
        used_slot[base + c] = 1;
        holes.erase(base + c);
      }
      for (size_t k = 0; k < children; ++k) {
        queue.push_back({base + labels[k], child_ranges[k].first, child_ranges[k].second,
                         node.depth + 1, static_cast<uint8_t>(labels[k])});
      }
      if (token != kNoToken) trie_[base + TrieSlot::kIdOffset] = token;  // kind 0
      trie_[node.slot] = TrieSlot::Make(
          token != kNoToken ? TrieSlot::kBranchToken : TrieSlot::kBranch, node.label, base);
    }
    return absl::OkStatus();
  }

  // Every token's walk must end on a node that names it, as ImageView reads it.
  absl::Status CheckTrie() const {
    for (uint32_t id = 0; id < tokens_.size(); ++id) {
      uint32_t slot = trie_[0];
      for (unsigned char c : tokens_[id]) {
        const uint32_t next = TrieSlot::Base(slot) + c;
        if (TrieSlot::Kind(slot) == TrieSlot::kLeaf || next >= trie_.size() ||
            !TrieSlot::IsChild(trie_[next], c)) {
          return absl::InternalError(absl::StrCat("token ", id, " is not in the trie"));
        }
        slot = trie_[next];
      }
      const uint32_t kind = TrieSlot::Kind(slot);
      const uint32_t found = kind == TrieSlot::kLeaf ? TrieSlot::Base(slot)
                             : kind == TrieSlot::kBranchToken
                                 ? trie_[TrieSlot::Base(slot) + TrieSlot::kIdOffset]
                                 : kNoToken;
      if (found != id) {
        return absl::InternalError(absl::StrCat("the trie names token ", id, " ", found));
      }
    }
    return absl::OkStatus();
  }

  static void Align(std::string& out) { out.resize((out.size() + kAlignment - 1) & ~(kAlignment - 1), '\0'); }

  template <typename T>
  static uint64_t Append(std::string& out, const std::vector<T>& values) {
    Align(out);
    const uint64_t offset = out.size();
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    return offset;
  }

  void BuildPairTable() {
    pair_bits_ = TableBits(pair_.size());
    pair_table_.assign(size_t{1} << pair_bits_, kEmptySlot);
    for (uint32_t id = 0; id < split_.size(); ++id) {
      if (split_[id].first == id) continue;
      Insert(pair_table_, pair_bits_,
                   MixTokenHash(PairKey(split_[id].first, split_[id].second)), id);
    }
    // About 10 bits a pair (3 bits set in one word): ~1% false positives.
    pair_filter_words_log2_ = 1;
    while ((size_t{64} << pair_filter_words_log2_) < pair_.size() * 10 &&
           pair_filter_words_log2_ < kMaxPairFilterWordsLog2) {
      ++pair_filter_words_log2_;
    }
    pair_filter_.assign(size_t{1} << pair_filter_words_log2_, 0);
    for (const auto& [key, merged] : pair_) {
      const uint64_t hash = MixTokenHash(key);
      pair_filter_[PairFilterWord(hash, pair_filter_words_log2_)] |= PairFilterBits(hash);
    }
  }

  absl::StatusOr<std::string> Serialize() const {
    ImageHeader header = {};
    std::memcpy(header.magic, kImageMagic, sizeof(header.magic));
    header.version = kImageVersion;
    header.token_count = static_cast<uint32_t>(tokens_.size());
    header.hash_bits = hash_bits_;
    header.trie_slots = static_cast<uint32_t>(trie_.size());
    header.source_fingerprint = fingerprint_;

    std::vector<uint32_t> offsets;
    std::string bytes;
    offsets.reserve(tokens_.size() + 1);
    for (const std::string& token : tokens_) {
      offsets.push_back(static_cast<uint32_t>(bytes.size()));
      bytes += token;
      header.max_token_length =
          std::max<uint32_t>(header.max_token_length, static_cast<uint32_t>(token.size()));
    }
    offsets.push_back(static_cast<uint32_t>(bytes.size()));
    header.token_bytes_size = static_cast<uint32_t>(bytes.size());
    // 36 bits a token, and 16 bytes of padding: the reader loads 8 bytes.
    std::vector<char> split_packed(SplitEntryByte(static_cast<uint32_t>(split_.size())) + 16, 0);
    for (uint32_t id = 0; id < split_.size(); ++id) {
      const uint64_t entry = split_[id].first | (uint64_t{split_[id].second} << kIdBits);
      uint64_t word;
      std::memcpy(&word, split_packed.data() + SplitEntryByte(id), sizeof(word));
      word |= entry << SplitEntryShift(id);
      std::memcpy(split_packed.data() + SplitEntryByte(id), &word, sizeof(word));
    }

    std::vector<uint32_t> byte_tokens(256);
    for (int byte = 0; byte < 256; ++byte) {
      byte_tokens[byte] = Find(std::string(1, static_cast<char>(byte)));  // CheckLookups: found
    }

    std::vector<uint32_t> ascii_pairs(1 << 14);
    for (uint32_t pair = 0; pair < ascii_pairs.size(); ++pair) {
      const char bytes[2] = {static_cast<char>(pair & 0x7F), static_cast<char>(pair >> 7)};
      ascii_pairs[pair] = Find(std::string_view(bytes, 2));
    }

    std::string out(sizeof(ImageHeader), '\0');
    header.byte_tokens_offset = Append(out, byte_tokens);
    header.ascii_pairs_offset = Append(out, ascii_pairs);
    header.offsets_offset = Append(out, offsets);
    header.bytes_offset = Append(out, std::vector<char>(bytes.begin(), bytes.end()));
    header.hash_offset = Append(out, hash_);
    header.split_offset = Append(out, split_packed);
    header.trie_offset = Append(out, trie_);
    header.pair_offset = Append(out, pair_table_);
    header.pair_bits = pair_bits_;
    header.pair_filter_offset = Append(out, pair_filter_);
    header.pair_filter_words_log2 = pair_filter_words_log2_;
    Align(out);
    header.total_size = out.size();
    std::memcpy(out.data(), &header, sizeof(header));
    return out;
  }

  const std::vector<std::string>& tokens_;
  const uint64_t fingerprint_;
  uint32_t hash_bits_ = 0;
  std::vector<uint32_t> hash_;
  std::vector<uint32_t> next_prefix_;
  std::vector<std::pair<uint32_t, uint32_t>> split_;
  std::unordered_map<uint64_t, uint32_t> pair_;
  std::vector<uint32_t> trie_;
  uint32_t pair_bits_ = 0;
  std::vector<uint32_t> pair_table_;
  uint32_t pair_filter_words_log2_ = 0;
  std::vector<uint64_t> pair_filter_;
};

int Main(int argc, char** argv) {
  std::string input, output;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, 8) == "--input=") {
      input = std::string(arg.substr(8));
    } else if (arg.substr(0, 9) == "--output=") {
      output = std::string(arg.substr(9));
    } else {
      std::cerr << "compile_encoding: unknown argument " << arg << "\n";
      return 2;
    }
  }
  if (input.empty() || output.empty()) {
    std::cerr << "usage: compile_encoding --input=FILE.tiktoken --output=FILE.image\n";
    return 2;
  }
  absl::StatusOr<Vocabulary> vocabulary = ReadRankFile(input);
  if (!vocabulary.ok()) {
    std::cerr << "compile_encoding: " << vocabulary.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::string> image = ImageBuilder(*vocabulary).Build();
  if (!image.ok()) {
    std::cerr << "compile_encoding: " << input << ": " << image.status().message() << "\n";
    return 1;
  }
  std::ofstream out(output, std::ios::binary);
  out.write(image->data(), static_cast<std::streamsize>(image->size()));
  if (!out) {
    std::cerr << "compile_encoding: cannot write " << output << "\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace ctxmem::context::tokenizer::internal

int main(int argc, char** argv) { return ctxmem::context::tokenizer::internal::Main(argc, argv); }
