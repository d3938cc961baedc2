#include "context/json/js_number.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace ctxmem::json {
namespace {

struct Case {
  const char* js;        // the JavaScript expression (for messages)
  double value;          // the same value as a C++ literal
  const char* expected;  // String(value) as Node.js 20 prints it
};

// Expected texts were printed by Node.js 20 (`String(eval(js))`).
constexpr Case kCases[] = {
    {"0", 0.0, "0"},
    {"-0", -0.0, "0"},
    {"1", 1.0, "1"},
    {"-1", -1.0, "-1"},
    {"1.0", 1.0, "1"},
    {"1.5", 1.5, "1.5"},
    {"0.1", 0.1, "0.1"},
    {"0.1+0.2", 0.1 + 0.2, "0.30000000000000004"},
    {"1E21", 1e21, "1e+21"},
    {"1e21 - 131072", 9.999999999999999e+20, "999999999999999900000"},
    {"123456789012345678901234567890", 123456789012345678901234567890.0,
     "1.2345678901234568e+29"},
    {"1e-7", 1e-7, "1e-7"},
    {"1e-6", 1e-6, "0.000001"},
    {"0.000001", 0.000001, "0.000001"},
    {"0.0000012345", 0.0000012345, "0.0000012345"},
    {"1.2e-6", 1.2e-6, "0.0000012"},
    {"123e-20", 123e-20, "1.23e-18"},
    {"5e-324", 5e-324, "5e-324"},
    {"-5e-324", -5e-324, "-5e-324"},
    {"1.5e-323", 1.5e-323, "1.5e-323"},
    {"1.7976931348623157e308", 1.7976931348623157e308,
     "1.7976931348623157e+308"},
    {"2.2250738585072014e-308", 2.2250738585072014e-308,
     "2.2250738585072014e-308"},
    {"9007199254740993", 9007199254740993.0, "9007199254740992"},
    {"2**53+2", 9007199254740994.0, "9007199254740994"},
    {"12345678901234567890", 12345678901234567890.0, "12345678901234567000"},
    {"1/3", 1.0 / 3.0, "0.3333333333333333"},
    {"100", 100.0, "100"},
    {"1e20", 1e20, "100000000000000000000"},
    {"1.25e20", 1.25e20, "125000000000000000000"},
    {"123.456", 123.456, "123.456"},
    {"-123.456e-10", -123.456e-10, "-1.23456e-8"},
    {"4.35", 4.35, "4.35"},
    {"1e100", 1e100, "1e+100"},
    {"Math.PI", 3.141592653589793, "3.141592653589793"},
    {"200000 * 0.9 - 8192", 200000 * (1 - 0.1) - 8192, "171808"},
    {"128000 * 0.9", 128000 * 0.9, "115200"},
};

TEST(JsNumberTest, MatchesNodeOnTable) {
  for (const Case& c : kCases) {
    EXPECT_EQ(FormatJsNumber(c.value), c.expected) << c.js;
    EXPECT_EQ(FormatJsNumberString(c.value), c.expected) << c.js;
  }
}

TEST(JsNumberTest, NonFiniteIsNullInJsonAndNamedInString) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const double nan = std::nan("");
  EXPECT_EQ(FormatJsNumber(kInf), "null");
  EXPECT_EQ(FormatJsNumber(-kInf), "null");
  EXPECT_EQ(FormatJsNumber(nan), "null");
  EXPECT_EQ(FormatJsNumberString(kInf), "Infinity");
  EXPECT_EQ(FormatJsNumberString(-kInf), "-Infinity");
  EXPECT_EQ(FormatJsNumberString(nan), "NaN");
}

TEST(JsNumberTest, AppendAddsToExistingText) {
  std::string s = "[";
  AppendJsNumber(1e21, &s);
  s.push_back(',');
  AppendJsNumber(-0.0, &s);
  EXPECT_EQ(s, "[1e+21,0");
}

// Every integer up to 2^53 prints as its plain decimal, and the
// threshold powers of ten switch form where ECMA-262 says.
TEST(JsNumberTest, PowersOfTenSwitchFormAtTheSpecThresholds) {
  std::string expected = "1";
  for (int e = 0; e <= 20; ++e) {
    EXPECT_EQ(FormatJsNumber(std::pow(10.0, e)), expected) << e;
    expected.push_back('0');
  }
  EXPECT_EQ(FormatJsNumber(1e21), "1e+21");
  EXPECT_EQ(FormatJsNumber(1e-5), "0.00001");
  EXPECT_EQ(FormatJsNumber(1e-6), "0.000001");
  EXPECT_EQ(FormatJsNumber(1e-7), "1e-7");
  EXPECT_EQ(FormatJsNumber(-1e-7), "-1e-7");
  EXPECT_EQ(FormatJsNumber(1.5e300), "1.5e+300");
}

// The shortest digits must read back as the same double.
TEST(JsNumberTest, DigitsRoundTrip) {
  uint64_t state = 0x9e3779b97f4a7c15u;
  for (int i = 0; i < 20000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    double x;
    std::memcpy(&x, &state, sizeof x);
    if (!std::isfinite(x)) continue;
    std::string s = FormatJsNumber(x);
    double back = std::strtod(s.c_str(), nullptr);
    EXPECT_EQ(back, x == 0 ? 0.0 : x) << s;
  }
}

}  // namespace
}  // namespace ctxmem::json
