#include "context/json/internal/number_text.h"

#include <charconv>
#include <limits>
#include <system_error>

namespace ctxmem::json::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// For a literal std::from_chars found out of range: whether its magnitude is
// at least 1 (so it overflowed) rather than below 1 (so it underflowed; an
// all-zero mantissa counts as below 1 whatever its exponent).
// The literal's decimal magnitude is its integer digits (leading zeros
// aside), or minus the zeros that open its fraction, plus its exponent.
bool AtLeastOne(const char* p, const char* end) {
  long magnitude = 0;
  while (p < end && *p == '0') ++p;
  bool nonzero = false;
  while (p < end && IsDigit(*p)) {
    ++magnitude;
    nonzero = true;
    ++p;
  }
  if (p < end && *p == '.') {
    ++p;
    if (magnitude == 0) {
      while (p < end && *p == '0') {
        --magnitude;
        ++p;
      }
    }
    while (p < end && IsDigit(*p)) {
      nonzero = true;
      ++p;
    }
  }
  if (!nonzero) return false;
  long exponent = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    const bool negative = p < end && *p == '-';
    if (p < end && (*p == '-' || *p == '+')) ++p;
    while (p < end && IsDigit(*p)) {
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (*p - '0');
      ++p;
    }
    if (negative) exponent = -exponent;
  }
  return magnitude + exponent > 0;
}

}  // namespace

double NumberFromJsonText(const char* begin, const char* end) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec == std::errc()) return value;
  // Out of range (from_chars leaves `value` alone then): JavaScript rounds
  // to the nearest double, which is ±Infinity or ±0.
  const bool negative = *begin == '-';
  const double magnitude = AtLeastOne(begin + (negative ? 1 : 0), end)
                               ? std::numeric_limits<double>::infinity()
                               : 0.0;
  return negative ? -magnitude : magnitude;
}

}  // namespace ctxmem::json::internal
