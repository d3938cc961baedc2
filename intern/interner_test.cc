#include "intern/interner.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "alloc/stats.h"
#include "gtest/gtest.h"
#include "intern/frozen_interner.h"
#include "intern/internal/workloads.h"

namespace ctxmem::intern {
namespace {

int64_t LiveBytes() { return alloc::GlobalStats().live_bytes; }

TEST(InternerTest, SameStringSameSymbol) {
  Interner interner;
  Symbol a = interner.Intern("assistant");
  std::string copy = "assistant";
  EXPECT_TRUE(a);
  EXPECT_EQ(interner.Intern(copy), a);
  EXPECT_EQ(*interner.TryIntern("assistant"), a);
  EXPECT_EQ(interner.size(), 1u);
}

TEST(InternerTest, DistinctStringsDistinctSymbols) {
  Interner interner;
  std::vector<std::string> words = workloads::Words();
  std::vector<Symbol> symbols;
  for (const std::string& w : words) symbols.push_back(interner.Intern(w));
  std::vector<uint32_t> ids;
  for (Symbol s : symbols) ids.push_back(s.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
  EXPECT_EQ(ids.front() != 0, true);
  EXPECT_EQ(interner.size(), words.size());
  // Prefixes and case are different strings.
  EXPECT_NE(interner.Intern("user"), interner.Intern("use"));
  EXPECT_NE(interner.Intern("user"), interner.Intern("User"));
}

TEST(InternerTest, EmptyString) {
  Interner interner;
  EXPECT_FALSE(interner.Lookup("").has_value());
  Symbol empty = interner.Intern("");
  EXPECT_TRUE(empty);
  EXPECT_EQ(interner.Resolve(empty), "");
  EXPECT_EQ(interner.Intern(std::string_view()), empty);
  EXPECT_EQ(interner.Lookup(""), empty);
  EXPECT_EQ(interner.used_bytes(), 0u);
}

TEST(InternerTest, ResolveRoundTrip) {
  Interner interner;
  std::vector<std::string> strings = workloads::DistinctStrings(20000);
  std::vector<Symbol> symbols;
  for (const std::string& s : strings) symbols.push_back(interner.Intern(s));
  for (size_t i = 0; i < strings.size(); ++i) {
    ASSERT_EQ(interner.Resolve(symbols[i]), strings[i]);
    ASSERT_EQ(interner.Lookup(strings[i]), symbols[i]);
  }
  size_t bytes = 0;
  for (const std::string& s : strings) bytes += s.size();
  EXPECT_EQ(interner.used_bytes(), bytes);
}

TEST(InternerTest, IdsNoStringHasResolveEmptyNeverGarbage) {
  Interner interner;
  EXPECT_EQ(interner.Resolve(Symbol{}), "");
  EXPECT_EQ(interner.Resolve(Symbol{0x10000u << 4}), "");  // nothing committed yet
  std::vector<std::string> strings = workloads::DistinctStrings(3000);
  std::vector<Symbol> symbols;
  for (const std::string& s : strings) symbols.push_back(interner.Intern(s));
  // Ids are dense per shard: every id up to well past the largest one given
  // out resolves to one of the strings or to the empty string.
  uint32_t largest = 0;
  for (Symbol s : symbols) largest = std::max(largest, s.id);
  std::vector<std::string_view> sorted(strings.begin(), strings.end());
  std::sort(sorted.begin(), sorted.end());
  size_t hits = 0;
  for (uint32_t id = 0; id < largest + 4096; ++id) {
    const std::string_view s = interner.Resolve(Symbol{id});
    if (s.empty()) continue;
    ASSERT_TRUE(std::binary_search(sorted.begin(), sorted.end(), s)) << "id " << id;
    ++hits;
  }
  EXPECT_EQ(hits, strings.size());
  EXPECT_EQ(interner.Resolve(Symbol{0xfffffff0u}), "");
  EXPECT_EQ(interner.Resolve(Symbol{0xffffffffu}), "");
  EXPECT_EQ(interner.Resolve(symbols[7]), strings[7]);
}

TEST(InternerTest, InlineAndOutOfLineLengths) {
  // Strings of up to 39 bytes live in the index entry, longer ones out of
  // line; every length across the boundary round-trips and is found again.
  Interner interner;
  std::vector<Symbol> symbols;
  for (size_t n = 0; n <= 80; ++n) symbols.push_back(interner.Intern(std::string(n, char('A' + n % 26))));
  for (size_t n = 0; n <= 80; ++n) {
    const std::string s(n, char('A' + n % 26));
    ASSERT_EQ(interner.Resolve(symbols[n]), s) << n;
    ASSERT_EQ(interner.Lookup(s), symbols[n]) << n;
    ASSERT_EQ(interner.Intern(s), symbols[n]) << n;
  }
  // Same length, same first and last bytes, one byte different in the
  // middle: the branch-free compares must look at every byte.
  for (size_t n : {5u, 11u, 16u, 17u, 24u, 33u, 39u, 40u, 47u, 48u, 49u}) {
    std::string a(n, 'x');
    std::string b = a;
    b[n / 2] = 'y';
    EXPECT_NE(interner.Intern(a), interner.Intern(b)) << n;
    EXPECT_EQ(interner.Resolve(interner.Intern(b)), b) << n;
  }
}

TEST(InternerTest, MaxStringsFailsCleanly) {
  Interner interner(InternerOptions{.max_strings = 4096});
  std::vector<std::string> strings = workloads::DistinctStrings(8000);
  std::vector<Symbol> symbols;
  absl::Status failure;
  for (const std::string& s : strings) {
    absl::StatusOr<Symbol> symbol = interner.TryIntern(s);
    if (!symbol.ok()) {
      failure = symbol.status();
      break;
    }
    symbols.push_back(*symbol);
  }
  ASSERT_FALSE(failure.ok());
  EXPECT_EQ(failure.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(failure.message().find("max_strings"), std::string_view::npos) << failure.message();
  // Shards fill unevenly; each has room for its share plus 1/8, so the
  // first one fills up somewhat before max_strings (7 standard deviations
  // above its mean at 3/4 of it).
  EXPECT_GE(symbols.size(), 3072u);
  EXPECT_EQ(interner.size(), symbols.size());
  for (size_t i = 0; i < symbols.size(); ++i) ASSERT_EQ(interner.Resolve(symbols[i]), strings[i]);
}

TEST(InternerTest, BytesNotText) {
  Interner interner;
  const std::string with_nul("a\0b", 3);
  const std::string other_nul("a\0c", 3);
  const std::string invalid_utf8("\xff\xfe\xc3\x28\x80", 5);
  const std::string long_string(300, '\0');    // out of line
  const std::string huge_string(100000, 'x');  // a chunk of its own
  Symbol s1 = interner.Intern(with_nul);
  Symbol s2 = interner.Intern(other_nul);
  Symbol s3 = interner.Intern(invalid_utf8);
  Symbol s4 = interner.Intern(long_string);
  Symbol s5 = interner.Intern(huge_string);
  Symbol s6 = interner.Intern("a");
  EXPECT_NE(s1, s2);
  EXPECT_NE(s1, s6);
  EXPECT_EQ(interner.Resolve(s1), with_nul);
  EXPECT_EQ(interner.Resolve(s1).size(), 3u);
  EXPECT_EQ(interner.Resolve(s2), other_nul);
  EXPECT_EQ(interner.Resolve(s3), invalid_utf8);
  EXPECT_EQ(interner.Resolve(s4), long_string);
  EXPECT_EQ(interner.Resolve(s5), huge_string);
  EXPECT_EQ(interner.Intern(std::string(with_nul)), s1);
  EXPECT_EQ(interner.Intern(huge_string), s5);
}

TEST(InternerTest, ViewsStayValidAfterManyInserts) {
  Interner interner;
  std::vector<std::string> first = workloads::DistinctStrings(1000, 1);
  std::vector<std::string_view> views;
  std::vector<Symbol> symbols;
  for (const std::string& s : first) {
    symbols.push_back(interner.Intern(s));
    views.push_back(interner.Resolve(symbols.back()));
  }
  for (const std::string& s : workloads::DistinctStrings(200000, 2)) interner.Intern(s);
  for (size_t i = 0; i < first.size(); ++i) {
    ASSERT_EQ(views[i], first[i]);                            // the old view still reads right
    ASSERT_EQ(interner.Resolve(symbols[i]).data(), views[i].data());  // and never moved
  }
}

TEST(InternerTest, LookupDoesNotInsert) {
  Interner interner;
  interner.Intern("present");
  const size_t reserved = interner.reserved_bytes();
  EXPECT_FALSE(interner.Lookup("absent").has_value());
  EXPECT_FALSE(interner.Lookup("absent").has_value());
  EXPECT_EQ(interner.size(), 1u);
  EXPECT_EQ(interner.reserved_bytes(), reserved);
  EXPECT_TRUE(interner.Lookup("present").has_value());
}

TEST(InternerTest, ByteLimitFailsCleanlyAndCorruptsNothing) {
  constexpr size_t kLimit = 64 * 1024;
  Interner interner(InternerOptions{.byte_limit = kLimit});
  std::vector<std::string> strings = workloads::DistinctStrings(100000);
  std::vector<Symbol> symbols;
  absl::Status failure;
  size_t failed_at = 0;
  for (size_t i = 0; i < strings.size(); ++i) {
    absl::StatusOr<Symbol> s = interner.TryIntern(strings[i]);
    if (!s.ok()) {
      failure = s.status();
      failed_at = i;
      break;
    }
    symbols.push_back(*s);
  }
  ASSERT_FALSE(failure.ok());
  EXPECT_EQ(failure.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(failure.message().find("byte limit of 65536 bytes"), std::string_view::npos)
      << failure.message();
  EXPECT_GT(failed_at, 100u);
  EXPECT_LE(interner.reserved_bytes(), kLimit);
  const size_t size = interner.size();
  const size_t reserved = interner.reserved_bytes();
  EXPECT_EQ(size, failed_at);

  // The failed string was not stored, and trying again fails the same way.
  EXPECT_FALSE(interner.Lookup(strings[failed_at]).has_value());
  EXPECT_FALSE(interner.TryIntern(strings[failed_at]).ok());
  EXPECT_EQ(interner.size(), size);
  EXPECT_EQ(interner.reserved_bytes(), reserved);
  // Everything stored before is intact, and interning it again still works:
  // a string already present needs no bytes.
  for (size_t i = 0; i < symbols.size(); ++i) {
    ASSERT_EQ(interner.Resolve(symbols[i]), strings[i]);
    absl::StatusOr<Symbol> again = interner.TryIntern(strings[i]);
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(*again, symbols[i]);
  }
  // A string whose shard still has room may still fit.
  size_t later = 0;
  for (size_t i = failed_at + 1; i < strings.size(); ++i) {
    if (interner.TryIntern(strings[i]).ok()) ++later;
  }
  EXPECT_LE(interner.reserved_bytes(), kLimit);
  EXPECT_EQ(interner.size(), size + later);
}

TEST(InternerTest, TooSmallLimitRejectsEverything) {
  Interner interner(InternerOptions{.byte_limit = 1});
  absl::StatusOr<Symbol> s = interner.TryIntern("x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(interner.size(), 0u);
}

TEST(InternerTest, FreezeKeepsSymbolsAndViews) {
  Interner interner;
  std::vector<std::string> strings = workloads::DistinctStrings(5000);
  std::vector<Symbol> symbols;
  std::vector<const char*> data;
  for (const std::string& s : strings) {
    symbols.push_back(interner.Intern(s));
    data.push_back(interner.Resolve(symbols.back()).data());
  }
  const size_t reserved = interner.reserved_bytes();
  FrozenInterner frozen = std::move(interner).Freeze();
  EXPECT_EQ(frozen.size(), strings.size());
  EXPECT_EQ(frozen.reserved_bytes(), reserved);
  EXPECT_FALSE(frozen.Lookup("not there").has_value());

  // Readers on several threads, no locks anywhere.
  std::vector<std::thread> readers;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      for (size_t i = 0; i < strings.size(); ++i) {
        if (frozen.Lookup(strings[i]) != symbols[i] || frozen.Resolve(symbols[i]) != strings[i] ||
            frozen.Resolve(symbols[i]).data() != data[i]) {
          mismatches.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(mismatches.load(), 0);

  // The interner is empty again and works on its own.
  EXPECT_EQ(interner.size(), 0u);  // NOLINT(bugprone-use-after-move): documented
  EXPECT_FALSE(interner.Lookup(strings[0]).has_value());
  Symbol fresh = interner.Intern(strings[0]);
  EXPECT_EQ(interner.Resolve(fresh), strings[0]);
}

TEST(InternerTest, ConcurrentInterningGivesOneSymbolPerString) {
  constexpr int kThreads = 4;
  constexpr size_t kPerThread = 20000;
  // Thread t interns strings [t * kPerThread / 2, t * kPerThread / 2 + kPerThread):
  // every string but the outer halves is interned by two threads, in
  // different orders.
  std::vector<std::string> strings = workloads::DistinctStrings(kPerThread / 2 * (kThreads + 1));
  Interner interner;
  std::vector<std::vector<Symbol>> got(kThreads, std::vector<Symbol>(strings.size()));
  std::atomic<int> bad_resolves{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<size_t> order(kPerThread);
      for (size_t i = 0; i < kPerThread; ++i) order[i] = t * kPerThread / 2 + i;
      std::shuffle(order.begin(), order.end(), std::mt19937(t));
      for (size_t i : order) {
        Symbol s = interner.Intern(strings[i]);
        got[t][i] = s;
        if (interner.Resolve(s) != strings[i]) bad_resolves.fetch_add(1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(bad_resolves.load(), 0);
  EXPECT_EQ(interner.size(), strings.size());
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < strings.size(); ++i) {
    Symbol first{};
    for (int t = 0; t < kThreads; ++t) {
      if (!got[t][i]) continue;
      if (!first) first = got[t][i];
      ASSERT_EQ(got[t][i], first) << "string " << i << " got two symbols";
    }
    ASSERT_TRUE(first);
    ids.push_back(first.id);
    ASSERT_EQ(interner.Resolve(first), strings[i]);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
}

TEST(InternerTest, ConcurrentLimitNeverOvershoots) {
  constexpr size_t kLimit = 256 * 1024;
  Interner interner(InternerOptions{.byte_limit = kLimit});
  std::vector<std::string> strings = workloads::DistinctStrings(40000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < strings.size(); i += 2) (void)interner.TryIntern(strings[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(interner.reserved_bytes(), kLimit);
  EXPECT_GT(interner.size(), 1000u);
  size_t found = 0;
  for (const std::string& s : strings) {
    if (std::optional<Symbol> sym = interner.Lookup(s)) {
      ++found;
      ASSERT_EQ(interner.Resolve(*sym), s);
    }
  }
  EXPECT_EQ(found, interner.size());
}

// Bytes of the anonymous mapping that holds `p`, from /proc/self/maps: the
// committed part of the symbol index, when `p` is a string stored inline.
size_t MappingBytesAround(const void* p) {
  std::FILE* maps = std::fopen("/proc/self/maps", "r");
  if (maps == nullptr) return 0;
  const auto address = reinterpret_cast<uintptr_t>(p);
  size_t bytes = 0;
  unsigned long start, end;
  char line[512];
  while (std::fgets(line, sizeof(line), maps) != nullptr) {
    if (std::sscanf(line, "%lx-%lx", &start, &end) == 2 && start <= address && address < end) {
      bytes = end - start;
      break;
    }
  }
  std::fclose(maps);
  return bytes;
}

// Bytes per distinct string, and the two parts of reserved_bytes() against
// independent figures: heap_bytes() against what the tracking allocator saw
// (malloc chunk sizes, 8-byte header included, 16-byte rounding, so slightly
// above; tolerance 10% plus 4 KiB), mapped_bytes() against the size of the
// index's committed mapping in /proc/self/maps (exact).
TEST(InternerTest, AccountingMatchesHeapAndMappingsAndStaysUnder65BytesPerString) {
  ASSERT_TRUE(alloc::TrackingEnabled());
  std::vector<std::string> strings = workloads::DistinctStrings(100000);
  size_t bytes = 0;
  for (const std::string& s : strings) bytes += s.size();
  const double average = double(bytes) / strings.size();
  EXPECT_GT(average, 27.0);
  EXPECT_LT(average, 31.0);

  const int64_t before = LiveBytes();
  {
    Interner interner;
    Symbol last;
    for (const std::string& s : strings) last = interner.Intern(s);
    const int64_t heap = LiveBytes() - before;
    const size_t mapped = interner.mapped_bytes();
    const double reserved = double(interner.reserved_bytes());
    std::printf("100k strings of %.1f B: heap %lld B (%.1f B/string) + mapped %zu B (%.1f B/string) "
                "= %.1f B/string; reserved %.0f B (%.1f B/string), used %zu B\n",
                average, static_cast<long long>(heap), double(heap) / strings.size(), mapped,
                double(mapped) / strings.size(), double(heap + mapped) / strings.size(), reserved,
                reserved / strings.size(), interner.used_bytes());
    EXPECT_EQ(interner.used_bytes(), bytes);
    EXPECT_EQ(double(interner.heap_bytes() + mapped), reserved);
    EXPECT_NEAR(double(heap), double(interner.heap_bytes()),
                0.10 * double(interner.heap_bytes()) + 4096);
    EXPECT_EQ(MappingBytesAround(interner.Resolve(last).data()), mapped);
    EXPECT_LE(double(heap + mapped) / strings.size(), 65.0);
    EXPECT_LE(reserved / strings.size(), 65.0);
  }
  EXPECT_EQ(LiveBytes(), before);  // everything given back
}

TEST(InternerTest, AccountingMatchesTrackedHeapForSmallAndOddSizes) {
  const int64_t before = LiveBytes();
  Interner interner;
  EXPECT_NEAR(double(LiveBytes() - before), double(interner.heap_bytes()), 128);  // malloc headers, alignment
  EXPECT_EQ(interner.mapped_bytes(), 0u);
  for (int i = 0; i < 300; ++i) interner.Intern(std::string(size_t(i) * 97, char('a' + i % 26)));
  const double heap = double(interner.heap_bytes());
  EXPECT_NEAR(double(LiveBytes() - before), heap, 0.10 * heap + 4096);
  EXPECT_GT(interner.mapped_bytes(), 0u);
  EXPECT_EQ(interner.reserved_bytes(), interner.heap_bytes() + interner.mapped_bytes());
}

// One std::string per occurrence against one interned copy plus a 4-byte
// Symbol per occurrence, on a synthetic agent message history.
TEST(InternerTest, MessageHistoryUsesLessThanHalfTheMemoryOfStrings) {
  const std::vector<std::string> history = workloads::MessageHistory();
  std::vector<std::string_view> views(history.begin(), history.end());

  const int64_t before_strings = LiveBytes();
  int64_t strings_bytes;
  {
    std::vector<std::string> copies;
    copies.reserve(views.size());
    for (std::string_view v : views) copies.emplace_back(v);
    strings_bytes = LiveBytes() - before_strings;
  }

  const int64_t before_interned = LiveBytes();
  int64_t interned_bytes;
  size_t distinct;
  {
    Interner interner;
    std::vector<Symbol> symbols;
    symbols.reserve(views.size());
    for (std::string_view v : views) symbols.push_back(interner.Intern(v));
    // The interner's heap (tracked) plus its index's mapped pages (not).
    interned_bytes = LiveBytes() - before_interned + int64_t(interner.mapped_bytes());
    distinct = interner.size();
    for (size_t i = 0; i < views.size(); i += 97) ASSERT_EQ(interner.Resolve(symbols[i]), views[i]);
  }
  std::printf("message history: %zu occurrences, %zu distinct; std::string per occurrence %lld B, "
              "interner + Symbol per occurrence %lld B (%.1f%% less)\n",
              views.size(), distinct, static_cast<long long>(strings_bytes),
              static_cast<long long>(interned_bytes),
              100.0 * (1.0 - double(interned_bytes) / double(strings_bytes)));
  EXPECT_GT(views.size(), 50000u);
  EXPECT_LE(interned_bytes * 2, strings_bytes);
}

}  // namespace
}  // namespace ctxmem::intern
