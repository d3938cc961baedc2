#include "context/history/internal/packed_value.h"

#include <cmath>
#include <random>
#include <string>

#include "context/history/vocabulary.h"
#include "context/json/parse_json.h"
#include "context/json/stringify_json.h"
#include "gtest/gtest.h"

namespace ctxmem::context::internal {
namespace {

using json::JsValue;

std::string Pack(const JsValue& v) {
  std::string out;
  PackValue(v, false, &out);
  return out;
}

const uint8_t* Bytes(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

std::string PackedJson(const std::string& packed) {
  std::string out;
  AppendPackedJson(Bytes(packed), &out);
  return out;
}

JsValue Parse(std::string_view text) {
  absl::StatusOr<JsValue> v = json::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status() << " in " << text;
  return v.ok() ? *v : JsValue();
}

// Packing then writing gives JSON.stringify's bytes, SkipValue lands on the
// end, and unpacking gives a tree that stringifies the same.
void ExpectRoundTrip(const JsValue& v) {
  const std::string packed = Pack(v);
  const std::string expected = json::StringifyJson(v);
  EXPECT_EQ(PackedJson(packed), expected);
  EXPECT_EQ(SkipValue(Bytes(packed)), Bytes(packed) + packed.size());
  EXPECT_EQ(json::StringifyJson(UnpackValue(Bytes(packed))), expected);
  EXPECT_EQ(PackedType(Bytes(packed)), v.type());
}

TEST(PackedValueTest, RoundTripsTrickyDocuments) {
  for (const char* text : {
           R"(null)", R"(true)", R"(false)", R"(0)", R"(-0)", R"(63)", R"(64)", R"(-1)",
           R"(9007199254740992)", R"(9007199254740994)", R"(-9007199254740992)", R"(1e300)",
           R"(0.1)", R"(1.5e-300)", R"(123456789012)", R"("")", R"("\ud800 lone")",
           R"("\u0000 nul and \n newline")", R"("emoji 😀 and ñ")",
           R"({"b":1,"a":[1,2],"2":"x","1":"y","__proto__":{}})",
           R"([[],{},[[[]]],{"type":"text","text":"hello"}])",
           R"({"a key longer than thirty-nine bytes, stored inline":"v"})",
           R"({"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"read_file","input":{"path":"src/a.cc"}}],"ts":1760000000000})",
       }) {
    SCOPED_TRACE(text);
    ExpectRoundTrip(Parse(text));
  }
}

TEST(PackedValueTest, LengthsAndCountsAcrossEncodingBoundaries) {
  for (size_t n : {0, 1, 15, 16, 31, 32, 127, 128, 16383, 16384, 100000}) {
    SCOPED_TRACE(n);
    ExpectRoundTrip(JsValue::String(std::string(n, 'x')));
    std::vector<JsValue> elements(std::min<size_t>(n, 300), JsValue::Number(1));
    ExpectRoundTrip(JsValue::Array(elements));
    std::vector<std::pair<std::string_view, JsValue>> members;
    std::vector<std::string> keys;
    keys.reserve(300);
    for (size_t i = 0; i < std::min<size_t>(n, 300); ++i) {
      keys.push_back("k" + std::to_string(i));
      members.emplace_back(keys.back(), JsValue::Number(static_cast<double>(i)));
    }
    ExpectRoundTrip(JsValue::Object(members));
  }
}

TEST(PackedValueTest, NumbersKeepEveryBit) {
  for (double x : {0.0, -0.0, 1.0, 63.0, 64.0, -63.0, 0.5, 1e21, 1e-7, 4503599627370496.5,
                   9007199254740993.0, -1e308, 5e-324}) {
    const std::string packed = Pack(JsValue::Number(x));
    const JsValue back = UnpackValue(Bytes(packed));
    ASSERT_TRUE(back.is_number());
    EXPECT_EQ(std::signbit(back.number_value()), std::signbit(x)) << x;
    EXPECT_EQ(back.number_value(), x);
  }
  // What JSON cannot hold: kept as a scalar, written as null.
  const std::string nan = Pack(JsValue::Number(NAN));
  EXPECT_TRUE(std::isnan(UnpackValue(Bytes(nan)).number_value()));
  EXPECT_EQ(PackedJson(nan), "null");
  EXPECT_EQ(PackedJson(Pack(JsValue::Array({JsValue::Number(INFINITY)}))), "[null]");
}

TEST(PackedValueTest, UndefinedIsOmittedInObjectsAndNullInArrays) {
  const JsValue v = JsValue::Object({{"a", JsValue()},
                                     {"b", JsValue::Array({JsValue(), JsValue::Number(1)})},
                                     {"c", JsValue()}});
  EXPECT_EQ(PackedJson(Pack(v)), R"({"b":[null,1]})");
  EXPECT_EQ(PackedJson(Pack(JsValue())), "");
}

TEST(PackedValueTest, VocabularyValuesAreSymbolsAndKeysAreShared) {
  const JsValue block = Parse(R"({"type":"tool_result","tool_use_id":"toolu_0123456789"})");
  const std::string packed = Pack(block);
  // Header, two keys as symbols (<= 3 bytes each), "tool_result" as a
  // symbol, the id inline: far less than the JSON's 56 bytes.
  EXPECT_LE(packed.size(), 1 + 3 + 4 + 3 + 1 + 16);
  EXPECT_EQ(PackedJson(packed), json::StringifyJson(block));
  const size_t before = VocabularySize();
  Pack(block);
  EXPECT_EQ(VocabularySize(), before) << "the same strings again add nothing";
  // Ids and text are never vocabulary.
  Pack(Parse(R"({"text":"some unique text 8c1f","fresh_key_8c1f":"unique-id-8c1f"})"));
  EXPECT_EQ(VocabularySize(), before + 1) << "only the new key";
}

TEST(PackedValueTest, ReadsMembersInPlace) {
  const std::string packed = Pack(Parse(R"({"role":"user","n":[1,2,3],"s":"text"})"));
  const uint8_t* member;
  ASSERT_EQ(ReadContainer(Bytes(packed), &member), 3u);
  std::string_view key;
  const uint8_t* value = ReadKey(member, &key);
  EXPECT_EQ(key, "role");
  EXPECT_EQ(PackedString(value), "user");
  value = ReadKey(SkipValue(value), &key);
  EXPECT_EQ(key, "n");
  EXPECT_EQ(PackedType(value), json::JsType::kArray);
  value = ReadKey(SkipValue(value), &key);
  EXPECT_EQ(key, "s");
  EXPECT_EQ(PackedString(value), "text");
  EXPECT_EQ(SkipValue(value), Bytes(packed) + packed.size());
}

// Random trees: every shape the encoder distinguishes, nested.
JsValue RandomValue(std::mt19937& rng, int depth) {
  const int kind = static_cast<int>(rng() % (depth > 3 ? 6 : 8));
  switch (kind) {
    case 0: return JsValue::Null();
    case 1: return JsValue::Bool(rng() % 2 == 0);
    case 2: {
      const double choices[] = {0, -0.0, 7, 64, -5, 1e15, 0.25, 3.14159, 1e300, -9007199254740992.0};
      return JsValue::Number(choices[rng() % 10]);
    }
    case 3:
    case 4: {
      std::string s;
      const size_t n = rng() % 3 == 0 ? rng() % 300 : rng() % 40;
      for (size_t i = 0; i < n; ++i) s.push_back("ab \n\"\\\x01y"[rng() % 9]);
      if (rng() % 5 == 0) s += "\xed\xa0\x80";  // a lone surrogate (WTF-8)
      return JsValue::String(s);
    }
    case 5: return JsValue::String(rng() % 2 ? "text" : "tool_use");
    case 6: {
      std::vector<JsValue> elements(rng() % 20);
      for (JsValue& e : elements) e = RandomValue(rng, depth + 1);
      return JsValue::Array(elements);
    }
    default: {
      static const char* const kKeys[] = {"type", "text", "role", "name", "path", "id", "0", "17",
                                          "content", "a key that is long enough to be inline!"};
      std::vector<std::pair<std::string_view, JsValue>> members(rng() % 20);
      for (auto& [key, value] : members) {
        key = kKeys[rng() % 10];
        value = RandomValue(rng, depth + 1);
      }
      return JsValue::Object(members);
    }
  }
}

TEST(PackedValueTest, RandomTreesRoundTrip) {
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; ++i) {
    const JsValue v = RandomValue(rng, 0);
    const std::string text = json::StringifyJson(v);
    SCOPED_TRACE(text);
    ExpectRoundTrip(v);
    if (!text.empty()) ExpectRoundTrip(Parse(text));
  }
}

}  // namespace
}  // namespace ctxmem::context::internal
