#include "context/tokenizer/encoding.h"

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "alloc/stats.h"
#include "gtest/gtest.h"

namespace ctxmem::context::tokenizer {
namespace {

struct Golden {
  EncodingName encoding;
  std::string text;
  std::vector<uint32_t> ids;
};

// testdata/golden_ids.tsv: ids from npm tiktoken@1.0.22 (tools/make_golden.mjs).
std::vector<Golden> ReadGolden() {
  std::ifstream in("context/tokenizer/testdata/golden_ids.tsv");
  EXPECT_TRUE(in.good()) << "missing golden file";
  std::vector<Golden> cases;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    EXPECT_EQ(fields.size(), 3u) << line;
    if (fields.size() != 3) continue;
    Golden golden;
    absl::StatusOr<EncodingName> name = Encoding::ParseName(fields[0]);
    EXPECT_TRUE(name.ok()) << line;
    golden.encoding = *name;
    EXPECT_TRUE(absl::CUnescape(fields[1], &golden.text)) << line;
    for (absl::string_view id : absl::StrSplit(fields[2], ' ', absl::SkipEmpty())) {
      uint32_t value = 0;
      EXPECT_TRUE(absl::SimpleAtoi(id, &value)) << line;
      golden.ids.push_back(value);
    }
    cases.push_back(std::move(golden));
  }
  return cases;
}

TEST(EncodingTest, MatchesTiktokenOnGoldenStrings) {
  const std::vector<Golden> cases = ReadGolden();
  ASSERT_EQ(cases.size(), 120u);
  for (const Golden& golden : cases) {
    const Encoding& encoding = Encoding::Get(golden.encoding);
    std::vector<uint32_t> ids;
    ASSERT_TRUE(encoding.Encode(golden.text, ids).ok());
    EXPECT_EQ(ids, golden.ids) << encoding.name() << ": " << absl::CEscape(golden.text);
    EXPECT_EQ(*encoding.Count(golden.text), golden.ids.size());
    EXPECT_EQ(*encoding.Decode(ids), golden.text);
  }
}

TEST(EncodingTest, ReferenceValues) {
  const Encoding& o200k = Encoding::Get(EncodingName::kO200kBase);
  EXPECT_EQ(*o200k.Count("Hello world"), 2u);
  EXPECT_EQ(*o200k.Count(""), 0u);
  EXPECT_EQ(*o200k.Count(std::string(1000, 'X')), 63u);
  EXPECT_EQ(*o200k.Count("something<|endoftext|>something"), 9u);
  EXPECT_EQ(*o200k.Count("You are a helpful assistant."), 6u);
  EXPECT_EQ(o200k.vocabulary_size(), 199'998u);
  EXPECT_EQ(Encoding::Get(EncodingName::kCl100kBase).vocabulary_size(), 100'256u);
}

TEST(EncodingTest, RejectsIllFormedUtf8AndLeavesOutputAlone) {
  const Encoding& o200k = Encoding::Get(EncodingName::kO200kBase);
  std::vector<uint32_t> ids = {1, 2, 3};
  for (const std::string& bad : {std::string("ok \xff"), std::string("\xed\xa0\x80"),
                                std::string("abc\xc3"), std::string("\xc0\xaf")}) {
    const absl::Status status = o200k.Encode(bad, ids);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << absl::CEscape(bad);
    EXPECT_NE(status.message().find("offset"), std::string::npos) << status.message();
    EXPECT_FALSE(o200k.Count(bad).ok());
  }
  EXPECT_EQ(ids, (std::vector<uint32_t>{1, 2, 3}));
}

TEST(EncodingTest, ParseNameAndDecodeErrors) {
  EXPECT_EQ(*Encoding::ParseName("cl100k_base"), EncodingName::kCl100kBase);
  EXPECT_EQ(Encoding::ParseName("p50k_base").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Encoding::Get(EncodingName::kO200kBase).Decode({199'998}).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(EncodingTest, CountingAllocatesNothingOnceWarm) {
  const Encoding& o200k = Encoding::Get(EncodingName::kO200kBase);
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += "The quick brown fox jumps over the lazy dog; naïve café 東京 42 "
            "supercalifragilisticexpialidocious_identifier_name " + std::to_string(i * 7919);
  }
  text += std::string(5000, 'z');
  ASSERT_GT(*o200k.Count(text), 0u);  // warms this thread's scratch
  alloc::ThreadAllocationScope scope;
  const size_t count = o200k.CountValidUtf8(text);
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_GT(count, 1000u);
}

TEST(EncodingTest, ThreadsGetTheSameIds) {
  const std::vector<Golden> cases = ReadGolden();
  std::vector<std::thread> threads;
  std::vector<int> mismatches(2, 0);
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (const Golden& golden : cases) {
          std::vector<uint32_t> ids;
          if (!Encoding::Get(golden.encoding).Encode(golden.text, ids).ok() || ids != golden.ids) {
            ++mismatches[t];
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace ctxmem::context::tokenizer
