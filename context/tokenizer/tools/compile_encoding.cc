// compile_encoding: turns an OpenAI `.tiktoken` rank file into the encoding
// image the tokenizer embeds (internal/encoding_image.h documents the layout).
//
//   compile_encoding --input=o200k_base.tiktoken --output=o200k_base.image
//
// Runs at build time. Besides the plain tables it precomputes what the linear
// encoder of long pieces needs: for every token, the pair of tokens BPE merges
// to make it (following the published construction of GitHub's `bpe` crate:
// the first prefix/suffix split, longest prefix first, that is itself a valid
// BPE pair), a perfect hash from those pairs back to the token, and a trie
// that holds the token ids, for whole-token and longest-prefix matches. The
// finished image is read back through the run-time reader, token by token,
// before it is written.

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
#include "context/tokenizer/internal/image_view.h"
#include "context/tokenizer/internal/token_hash.h"

namespace ctxmem::context::tokenizer::internal {
namespace {

constexpr size_t kAlignment = 64;
// How many free slots the double array's first-fit placement tries per node.
constexpr int kMaxHolesTried = 8192;

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
    if (auto status = BuildIndex(); !status.ok()) return status;
    BuildNextPrefix();
    BuildSplits();
    if (auto status = BuildTrie(); !status.ok()) return status;
    if (auto status = BuildPairTable(); !status.ok()) return status;
    std::string image = Serialize();
    if (auto status = Check(image); !status.ok()) return status;
    return image;
  }

 private:
  uint32_t Find(std::string_view bytes) const {
    auto it = index_.find(bytes);
    return it == index_.end() ? kNoToken : it->second;
  }

  absl::Status BuildIndex() {
    for (uint32_t id = 0; id < tokens_.size(); ++id) {
      if (!index_.emplace(tokens_[id], id).second) {
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
    auto it = pair_.find(PairKey(left, right));
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
          pair_.emplace(PairKey(left, right), id);
          split_.emplace_back(left, right);
          found = true;
          break;
        }
      }
      if (!found) split_.emplace_back(id, id);
    }
  }

  // Whether the tokens sorted[lo, hi), which share their first `depth` bytes,
  // lie on one path: each a prefix of the next.
  bool OnePath(const std::vector<uint32_t>& sorted, uint32_t lo, uint32_t hi,
               uint32_t depth) const {
    for (uint32_t k = lo; k + 1 < hi; ++k) {
      const std::string& a = tokens_[sorted[k]];
      const std::string& b = tokens_[sorted[k + 1]];
      if (b.size() <= a.size() || b.compare(depth, a.size() - depth, a, depth) != 0) return false;
    }
    return true;
  }

  // Appends the TailRecord of the path sorted[lo, hi) below depth `depth`
  // and returns the kind of slot that leads to it (whether the record holds
  // its length m).
  uint32_t AppendTail(const std::vector<uint32_t>& sorted, uint32_t lo, uint32_t hi,
                      uint32_t depth) {
    const std::string& last = tokens_[sorted[hi - 1]];
    const uint32_t m = static_cast<uint32_t>(last.size()) - depth;
    const bool implicit_length = m <= TrieSlot::kMaxImplicitTail;
    if (!implicit_length) tails_.push_back(static_cast<char>(m));
    tails_.append(last, depth, m);
    const uint64_t bitmap = uint64_t{tails_.size()} * 8;
    tails_.append(TailRecord::BitmapBytes(m), '\0');
    for (uint32_t k = lo; k < hi; ++k) {
      SetBits(tails_, bitmap + tokens_[sorted[k]].size() - depth, 1, 1);
    }
    const uint64_t ids = uint64_t{tails_.size()} * 8;
    tails_.append((size_t{hi - lo} * kIdBits + 7) / 8, '\0');
    for (uint32_t k = lo; k < hi; ++k) {
      SetBits(tails_, ids + uint64_t{k - lo} * kIdBits, sorted[k], kIdBits);
    }
    return implicit_length ? TrieSlot::kTail + m : TrieSlot::kTail;
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
    tails_.clear();
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
      if (node.depth > 0 && OnePath(sorted, node.lo, node.hi, node.depth)) {
        if (tokens_[sorted[node.hi - 1]].size() == node.depth) {
          trie_[node.slot] = TrieSlot::Make(TrieSlot::kLeaf, node.label, sorted[node.lo]);
          continue;
        }
        if (tails_.size() > TrieSlot::kPayloadMask) {
          return absl::ResourceExhaustedError("trie tails too large");
        }
        const auto offset = static_cast<uint32_t>(tails_.size());
        const uint32_t kind = AppendTail(sorted, node.lo, node.hi, node.depth);
        trie_[node.slot] = TrieSlot::Make(kind, node.label, offset);
        continue;
      }
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
      const size_t children = labels.size();
      if (token != kNoToken) labels.push_back(TrieSlot::kIdOffset);
      // First fit among the lowest holes (bounded, so a hole that fits no one
      // costs little), else right after the last used slot.
      uint32_t base = 0;
      int tried = 0;
      for (auto it = holes.begin(); it != holes.end() && tried < kMaxHolesTried; ++it, ++tried) {
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
      if (base + labels.back() >= TrieSlot::kPayloadMask) {
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
      // Room for base + 255 (and kIdOffset) of every base: walks skip the
      // bounds check.
      for (uint32_t s = static_cast<uint32_t>(trie_.size()); s <= base + TrieSlot::kIdOffset; ++s) {
        holes.insert(s);
        used_slot.push_back(0);
        trie_.push_back(0);
      }
      trie_[node.slot] = TrieSlot::Make(
          token != kNoToken ? TrieSlot::kBranchToken : TrieSlot::kBranch, node.label, base);
    }
    return absl::OkStatus();
  }

  // The pair table (encoding_image.h): buckets of about kPairsPerBucket pairs,
  // placed largest first, each with the smallest pilot that moves all of its
  // pairs to free slots; a load of 0.97. With these figures the hardest
  // buckets (three pairs at ~93% load, two at ~96%) still succeed in a few
  // thousand tries, far inside the 65,536 a 16-bit pilot allows; if a bucket
  // ever runs out, the next seed is tried.
  absl::Status BuildPairTable() {
    constexpr uint32_t kPairsPerBucket = 5;
    std::vector<uint32_t> merged;  // tokens with a split
    for (uint32_t id = 0; id < split_.size(); ++id) {
      if (split_[id].first != id) merged.push_back(id);
    }
    const uint32_t keys = static_cast<uint32_t>(merged.size());
    pair_buckets_ = std::max<uint32_t>(1, (keys + kPairsPerBucket - 1) / kPairsPerBucket);
    pair_slot_count_ = std::max<uint32_t>(keys + 1, static_cast<uint32_t>(keys / 0.97) + 1);
    for (uint64_t attempt = 0; attempt < 16; ++attempt) {
      pair_seed_ = MixTokenHash(0x5eed0000 + attempt);
      std::vector<std::vector<std::pair<uint64_t, uint32_t>>> buckets(pair_buckets_);
      for (uint32_t id : merged) {
        const uint64_t hash = PairHash(split_[id].first, split_[id].second, pair_seed_);
        buckets[PairBucket(hash, pair_buckets_)].emplace_back(hash, id);
      }
      std::vector<uint32_t> order(pair_buckets_);
      for (uint32_t b = 0; b < pair_buckets_; ++b) order[b] = b;
      std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        return buckets[a].size() > buckets[b].size();
      });
      pair_pilots_.assign(pair_buckets_, 0);
      pair_slots_.assign(pair_slot_count_, kEmptyPairSlot);
      std::vector<uint32_t> positions;
      bool placed_all = true;
      for (uint32_t b : order) {
        const auto& bucket = buckets[b];
        if (bucket.empty()) continue;
        bool placed = false;
        for (uint32_t pilot = 0; pilot <= 0xFFFF && !placed; ++pilot) {
          positions.clear();
          bool free = true;
          for (const auto& [hash, id] : bucket) {
            const uint32_t at = PairSlotIndex(hash, static_cast<uint16_t>(pilot), pair_slot_count_);
            if (pair_slots_[at] != kEmptyPairSlot ||
                std::find(positions.begin(), positions.end(), at) != positions.end()) {
              free = false;
              break;
            }
            positions.push_back(at);
          }
          if (!free) continue;
          for (size_t k = 0; k < bucket.size(); ++k) {
            pair_slots_[positions[k]] = MakePairSlot(bucket[k].second, PairFingerprint(bucket[k].first));
          }
          pair_pilots_[b] = static_cast<uint16_t>(pilot);
          placed = true;
        }
        if (!placed) {
          placed_all = false;
          break;
        }
      }
      if (placed_all) return absl::OkStatus();
    }
    return absl::ResourceExhaustedError("no seed gives the pair table a perfect hash");
  }

  static void Align(std::string& out, size_t alignment = kAlignment) {
    out.resize((out.size() + alignment - 1) & ~(alignment - 1), '\0');
  }

  // ORs the low `width` bits of `value` into `bytes` from bit `bit` on (LSB
  // first): the packed fields of the image (tail bitmaps and ids, split
  // entries, pair slots) as its readers load them.
  static void SetBits(std::string& bytes, uint64_t bit, uint64_t value, int width) {
    for (int b = 0; b < width; ++b, ++bit) {
      if ((value >> b) & 1) bytes[bit / 8] = static_cast<char>(bytes[bit / 8] | (1 << (bit % 8)));
    }
  }

  static uint64_t AppendBytes(std::string& out, std::string_view bytes, size_t padding = 0) {
    Align(out);
    const uint64_t offset = out.size();
    out.append(bytes);
    out.append(padding, '\0');
    return offset;
  }
  template <typename T>
  static uint64_t Append(std::string& out, const std::vector<T>& values, size_t padding = 0) {
    return AppendBytes(
        out, std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)),
        padding);
  }

  std::string Serialize() const {
    ImageHeader header = {};
    std::memcpy(header.magic, kImageMagic, sizeof(header.magic));
    header.version = kImageVersion;
    header.token_count = static_cast<uint32_t>(tokens_.size());
    header.trie_slots = static_cast<uint32_t>(trie_.size());
    header.tail_bytes = static_cast<uint32_t>(tails_.size());
    header.pair_buckets = pair_buckets_;
    header.pair_slots = pair_slot_count_;
    header.pair_seed = pair_seed_;
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

    std::string split_packed(SplitEntryByte(static_cast<uint32_t>(split_.size())) + 8, '\0');
    for (uint32_t id = 0; id < split_.size(); ++id) {
      SetBits(split_packed, uint64_t{id} * kSplitBits,
              split_[id].first | (uint64_t{split_[id].second} << kIdBits), kSplitBits);
    }

    std::string slots_packed(PairSlotsBytes(pair_slot_count_), '\0');
    for (uint32_t i = 0; i < pair_slot_count_; ++i) {
      SetBits(slots_packed, uint64_t{i} * kPairSlotBits, pair_slots_[i], kPairSlotBits);
    }

    std::vector<uint32_t> byte_tokens(256);
    for (int byte = 0; byte < 256; ++byte) {
      byte_tokens[byte] = Find(std::string(1, static_cast<char>(byte)));  // BuildIndex: found
    }

    // The byte-pair section: the map, the counts before each word, the ids.
    std::vector<uint64_t> pair_bits(BytePairSection::kWords);
    std::vector<uint16_t> pair_before(BytePairSection::kWords);
    std::vector<uint32_t> pair_ids;
    for (uint32_t index = 0; index < 65536; ++index) {
      if (index % 64 == 0) pair_before[index / 64] = static_cast<uint16_t>(pair_ids.size());
      const uint32_t id = Find(std::string{static_cast<char>(index >> 8), static_cast<char>(index)});
      if (id == kNoToken) continue;
      pair_bits[index / 64] |= uint64_t{1} << (index % 64);
      pair_ids.push_back(id);
    }
    std::string byte_pairs;
    byte_pairs.append(reinterpret_cast<const char*>(pair_bits.data()), pair_bits.size() * 8);
    byte_pairs.append(reinterpret_cast<const char*>(pair_before.data()), pair_before.size() * 2);
    byte_pairs.append(reinterpret_cast<const char*>(pair_ids.data()), pair_ids.size() * 4);
    header.byte_pair_count = static_cast<uint32_t>(pair_ids.size());

    // The sections counting reads first, side by side; Decode's last.
    std::string out(sizeof(ImageHeader), '\0');
    header.byte_tokens_offset = Append(out, byte_tokens);
    header.byte_pairs_offset = AppendBytes(out, byte_pairs);
    header.trie_offset = Append(out, trie_);
    header.tails_offset = AppendBytes(out, tails_, 4);
    header.split_offset = AppendBytes(out, split_packed);
    header.pair_pilots_offset = Append(out, pair_pilots_);
    header.pair_slots_offset = AppendBytes(out, slots_packed, 4);
    Align(out, kDecodeSectionAlignment);
    header.offsets_offset = Append(out, offsets);
    header.bytes_offset = AppendBytes(out, bytes);
    // The end too, so that the fault-around window of whatever .rodata
    // follows the image never maps Decode's last pages.
    Align(out, kDecodeSectionAlignment);
    header.total_size = out.size();
    std::memcpy(out.data(), &header, sizeof(header));
    return out;
  }

  // Reads every token back through the run-time reader: its whole-token
  // lookup, its prefix walk (against the index), its split and the pair
  // table, hits and misses.
  absl::Status Check(const std::string& image) const {
    std::vector<unsigned char> buffer(image.size() + kAlignment);
    unsigned char* aligned = buffer.data() + (kAlignment - reinterpret_cast<uintptr_t>(buffer.data()) % kAlignment);
    std::memcpy(aligned, image.data(), image.size());
    absl::StatusOr<ImageView> view = ImageView::Open(aligned, image.size());
    if (!view.ok()) return view.status();
    for (uint32_t index = 0; index < 65536; ++index) {
      const std::string pair{static_cast<char>(index >> 8), static_cast<char>(index)};
      if (view->BytePairToken(static_cast<unsigned char>(pair[0]),
                              static_cast<unsigned char>(pair[1])) != Find(pair)) {
        return absl::InternalError(absl::StrCat("the byte-pair section answers ", index, " wrongly"));
      }
    }
    std::vector<ImageView::PrefixToken> prefixes(256);
    const uint32_t n = static_cast<uint32_t>(tokens_.size());
    for (uint32_t id = 0; id < n; ++id) {
      const std::string& token = tokens_[id];
      const auto* data = reinterpret_cast<const unsigned char*>(token.data());
      if (view->Find(data, token.size()) != id) {
        return absl::InternalError(absl::StrCat("the trie does not find token ", id));
      }
      const size_t count = view->PrefixTokens(data, token.size(), prefixes.data());
      size_t expected = 0;
      for (size_t length = 1; length <= token.size(); ++length) {
        const uint32_t prefix = Find(std::string_view(token).substr(0, length));
        if (prefix == kNoToken) continue;
        if (expected >= count || prefixes[expected].length != length ||
            view->TokenId(prefixes[expected]) != prefix) {
          return absl::InternalError(absl::StrCat("the trie walk over token ", id, " misses ", prefix));
        }
        ++expected;
      }
      if (expected != count) {
        return absl::InternalError(absl::StrCat("the trie walk over token ", id, " finds extra tokens"));
      }
      if (view->SplitLeft(id) != split_[id].first || view->SplitRight(id) != split_[id].second) {
        return absl::InternalError(absl::StrCat("token ", id, " has the wrong split"));
      }
      if (split_[id].first != id && view->PairLookup(split_[id].first, split_[id].second) != id) {
        return absl::InternalError(absl::StrCat("the pair table misses token ", id));
      }
      // Pairs that mostly merge into nothing: the fingerprint and the split
      // check must turn them all away.
      for (uint32_t k = 1; k <= 4; ++k) {
        const uint32_t left = id;
        const uint32_t right = static_cast<uint32_t>((uint64_t{id} * 7919 + k * 104729) % n);
        if (view->PairLookup(left, right) != PairLookup(left, right)) {
          return absl::InternalError(absl::StrCat("the pair table answers (", left, ", ", right, ") wrongly"));
        }
      }
    }
    return absl::OkStatus();
  }

  const std::vector<std::string>& tokens_;
  const uint64_t fingerprint_;
  std::unordered_map<std::string_view, uint32_t> index_;
  std::vector<uint32_t> next_prefix_;
  std::vector<std::pair<uint32_t, uint32_t>> split_;
  std::unordered_map<uint64_t, uint32_t> pair_;
  std::vector<uint32_t> trie_;
  std::string tails_;
  uint32_t pair_buckets_ = 0;
  uint32_t pair_slot_count_ = 0;
  uint64_t pair_seed_ = 0;
  std::vector<uint16_t> pair_pilots_;
  std::vector<uint32_t> pair_slots_;
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
