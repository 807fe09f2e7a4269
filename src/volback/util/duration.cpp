#include <volback/util/duration.hpp>

#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace volback::util {

namespace {

// Magnitudes are accumulated as unsigned 64-bit values and may reach 2^63 so that the
// most negative duration ("-2562047h47m16.854775808s") parses, exactly as Go does.
constexpr std::uint64_t k_limit = std::uint64_t{1} << 63;

constexpr std::string_view k_allowed_units =
  "use a number with one of the units ns, us, ms, s, m, h, such as \"90s\" or \"1h30m\"";

struct Unit {
  std::string_view name;
  std::uint64_t nanoseconds;
};

// "µs" is U+00B5 (micro sign) and "μs" U+03BC (Greek mu); Go accepts both.
constexpr std::array<Unit, 8> k_units{{
  {"ns", 1},
  {"us", 1'000},
  {"\xC2\xB5s", 1'000},
  {"\xCE\xBCs", 1'000},
  {"ms", 1'000'000},
  {"s", 1'000'000'000},
  {"m", 60'000'000'000},
  {"h", 3'600'000'000'000},
}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

tl::unexpected<Error> invalid(std::string_view text, std::string_view reason) {
  return fail(ErrorKind::invalid_argument,
              fmt::format("invalid duration \"{}\": {}; {}", text, reason, k_allowed_units));
}

// Go's leadingInt: consumes [0-9]*, failing on overflow beyond 2^63.
bool leading_int(std::string_view& s, std::uint64_t& value) {
  value = 0;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (value > k_limit / 10) {
      return false;
    }
    value = value * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (value > k_limit) {
      return false;
    }
  }
  s.remove_prefix(i);
  return true;
}

// Go's leadingFraction: consumes [0-9]*; digits beyond 63 bits of precision are
// ignored rather than treated as an error.
void leading_fraction(std::string_view& s, std::uint64_t& value, double& scale) {
  value = 0;
  scale = 1;
  bool overflow = false;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (overflow) {
      continue;
    }
    if (value > (k_limit - 1) / 10) {
      overflow = true;
      continue;
    }
    const std::uint64_t next = value * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (next > k_limit) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  s.remove_prefix(i);
}

// Go's fmtFrac: prepends the fraction of v / 10^prec to `out` (without trailing zeros,
// and without the '.' when the fraction is zero) and returns the integer part.
std::uint64_t prepend_fraction(std::string& out, std::uint64_t v, int prec) {
  std::string digits;
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    const auto digit = static_cast<char>('0' + v % 10);
    print = print || digit != '0';
    if (print) {
      digits.insert(digits.begin(), digit);
    }
    v /= 10;
  }
  if (print) {
    out.insert(0, "." + digits);
  }
  return v;
}

void prepend_int(std::string& out, std::uint64_t v) {
  out.insert(0, std::to_string(v));
}

}  // namespace

Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0") {
    return std::chrono::nanoseconds{0};
  }
  if (s.empty()) {
    return invalid(text, "empty duration");
  }

  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!(s.front() == '.' || is_digit(s.front()))) {
      return invalid(text, "expected a number");
    }
    const std::size_t before_int = s.size();
    std::uint64_t whole = 0;
    if (!leading_int(s, whole)) {
      return invalid(text, "number out of range");
    }
    const bool have_int = before_int != s.size();

    std::uint64_t fraction = 0;
    double scale = 1;
    bool have_fraction = false;
    if (!s.empty() && s.front() == '.') {
      s.remove_prefix(1);
      const std::size_t before_fraction = s.size();
      leading_fraction(s, fraction, scale);
      have_fraction = before_fraction != s.size();
    }
    if (!have_int && !have_fraction) {
      return invalid(text, "expected digits around '.'");
    }

    std::size_t unit_length = 0;
    while (unit_length < s.size() && s[unit_length] != '.' && !is_digit(s[unit_length])) {
      ++unit_length;
    }
    if (unit_length == 0) {
      return invalid(text, "missing unit");
    }
    const std::string_view unit_name = s.substr(0, unit_length);
    s.remove_prefix(unit_length);
    const Unit* unit = nullptr;
    for (const auto& candidate : k_units) {
      if (candidate.name == unit_name) {
        unit = &candidate;
      }
    }
    if (unit == nullptr) {
      return invalid(text, fmt::format("unknown unit \"{}\"", unit_name));
    }

    if (whole > k_limit / unit->nanoseconds) {
      return invalid(text, "out of range");
    }
    whole *= unit->nanoseconds;
    if (fraction > 0) {
      // A double is precise enough for any fraction of the largest unit (3.6e12 ns),
      // which is why Go computes it this way; doing the same keeps results identical.
      whole +=
        static_cast<std::uint64_t>(static_cast<double>(fraction) * (static_cast<double>(unit->nanoseconds) / scale));
      if (whole > k_limit) {
        return invalid(text, "out of range");
      }
    }
    total += whole;
    if (total > k_limit) {
      return invalid(text, "out of range");
    }
  }

  if (negative) {
    // total <= 2^63; negate in unsigned arithmetic so that 2^63 maps to INT64_MIN.
    return std::chrono::nanoseconds{static_cast<std::int64_t>(~total + 1)};
  }
  if (total > k_limit - 1) {
    return invalid(text, "out of range");
  }
  return std::chrono::nanoseconds{static_cast<std::int64_t>(total)};
}

std::string format_go_duration(std::chrono::nanoseconds d) {
  const std::int64_t count = d.count();
  const bool negative = count < 0;
  std::uint64_t u = static_cast<std::uint64_t>(count);
  if (negative) {
    u = ~u + 1;
  }

  std::string out;
  if (u < 1'000'000'000) {
    // Below one second Go switches to the largest unit that keeps an integer part.
    int prec = 0;
    if (u == 0) {
      return "0s";
    }
    if (u < 1'000) {
      out = "ns";
    } else if (u < 1'000'000) {
      prec = 3;
      out = "\xC2\xB5s";
    } else {
      prec = 6;
      out = "ms";
    }
    u = prepend_fraction(out, u, prec);
    prepend_int(out, u);
  } else {
    out = "s";
    u = prepend_fraction(out, u, 9);
    prepend_int(out, u % 60);
    u /= 60;
    if (u > 0) {
      out.insert(0, "m");
      prepend_int(out, u % 60);
      u /= 60;
      // Hours are the largest unit because days differ in length.
      if (u > 0) {
        out.insert(0, "h");
        prepend_int(out, u);
      }
    }
  }
  if (negative) {
    out.insert(0, "-");
  }
  return out;
}

}  // namespace volback::util
