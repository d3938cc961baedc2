#include "context/json/js_number.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>

namespace ctxmem::json {
namespace {

// Appends a finite x in ECMA-262 Number::toString layout.
void AppendFinite(double x, std::string* out) {
  if (x == 0) {  // +0 and -0 both print "0"
    out->push_back('0');
    return;
  }
  // std::to_chars without a precision gives the shortest round-trip digits
  // (ties broken towards the nearest value), the same digits ECMA-262 asks
  // for; the scientific form hands them over as d.ddde±NN.
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  (void)ec;  // 64 bytes always fit a double's scientific form
  const char* p = buf;
  if (*p == '-') {
    out->push_back('-');
    ++p;
  }
  // Collect the digits (k of them) and the decimal exponent e, where
  // x = d.ddd × 10^e; ECMA-262's n is e + 1.
  char digits[32];
  int k = 0;
  while (p < end && *p != 'e') {
    if (*p != '.') digits[k++] = *p;
    ++p;
  }
  // The exponent: "e+29" / "e-07" (buf is not NUL-terminated: from_chars).
  ++p;
  const bool negative_exponent = *p == '-';
  int e = 0;
  std::from_chars(p + 1, end, e);
  if (negative_exponent) e = -e;
  int n = e + 1;

  if (k <= n && n <= 21) {  // integer: digits then n-k zeros
    out->append(digits, k);
    out->append(n - k, '0');
  } else if (0 < n && n <= 21) {  // decimal point inside the digits
    out->append(digits, n);
    out->push_back('.');
    out->append(digits + n, k - n);
  } else if (-6 < n && n <= 0) {  // 0.000ddd
    out->append("0.");
    out->append(-n, '0');
    out->append(digits, k);
  } else {  // exponent form: d[.ddd]e±(n-1)
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits + 1, k - 1);
    }
    out->push_back('e');
    out->push_back(n - 1 < 0 ? '-' : '+');
    char exponent[8];
    auto [exponent_end, exponent_ec] =
        std::to_chars(exponent, exponent + sizeof exponent, std::abs(n - 1));
    (void)exponent_ec;  // at most 3 digits
    out->append(exponent, exponent_end);
  }
}

}  // namespace

void AppendJsNumber(double x, std::string* out) {
  if (!std::isfinite(x)) {
    out->append("null");
    return;
  }
  AppendFinite(x, out);
}

std::string FormatJsNumber(double x) {
  std::string s;
  AppendJsNumber(x, &s);
  return s;
}

std::string FormatJsNumberString(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  std::string s;
  AppendFinite(x, &s);
  return s;
}

}  // namespace ctxmem::json
