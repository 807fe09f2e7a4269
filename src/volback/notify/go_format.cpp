#include <volback/notify/go_format.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include <volback/notify/go_time.hpp>
#include <volback/util/duration.hpp>
#include <volback/util/go_quote.hpp>
#include <volback/util/utf8.hpp>

namespace volback::notify {

namespace {

// A decimal number 0.digits × 10^dp (digits without leading zeros), as strconv keeps it.
struct Decimal {
  std::string digits;
  int dp = 0;
};

// `v` (finite, not negative) from std::to_chars' scientific text "d.ddde±xx".
Decimal decimal_from_scientific(std::string_view text) {
  Decimal d;
  const auto e = text.find('e');
  for (const char c : text.substr(0, e)) {
    if (c != '.') {
      d.digits += c;
    }
  }
  int exponent = 0;
  std::from_chars(text.data() + e + 1 + (text[e + 1] == '+' ? 1 : 0), text.data() + text.size(), exponent);
  d.dp = exponent + 1;
  return d;
}

void trim_zeros(Decimal& d) {
  while (!d.digits.empty() && d.digits.back() == '0') {
    d.digits.pop_back();
  }
  if (d.digits.empty()) {
    d.dp = 0;
  }
}

// The shortest digits that read back as `v`.
Decimal shortest_decimal(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  Decimal d = decimal_from_scientific(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  trim_zeros(d);
  return d;
}

// `v` rounded to `significant` digits (at least 1).
Decimal significant_decimal(double v, int significant) {
  char buf[512];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, significant - 1);
  Decimal d = decimal_from_scientific(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  if (v == 0) {
    d.digits.clear();
    d.dp = 0;
  }
  return d;
}

// `v` rounded to `decimals` digits after the point.
Decimal fixed_decimal(double v, int decimals) {
  std::string buf(static_cast<std::size_t>(decimals) + 400, '\0');
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
  const std::string_view text(buf.data(), static_cast<std::size_t>(r.ptr - buf.data()));
  Decimal d;
  const auto point = text.find('.');
  const std::string_view integer = text.substr(0, point);
  d.digits = std::string(integer);
  if (point != std::string_view::npos) {
    d.digits += text.substr(point + 1);
  }
  d.dp = static_cast<int>(integer.size());
  std::size_t lead = 0;
  while (lead < d.digits.size() && d.digits[lead] == '0') {
    ++lead;
  }
  d.digits.erase(0, lead);
  d.dp -= static_cast<int>(lead);
  trim_zeros(d);
  return d;
}

std::string layout_e(const Decimal& d, int precision, char e) {
  std::string out;
  out += d.digits.empty() ? '0' : d.digits[0];
  if (precision > 0) {
    out += '.';
    for (int i = 1; i <= precision; ++i) {
      out += i < static_cast<int>(d.digits.size()) ? d.digits[static_cast<std::size_t>(i)] : '0';
    }
  }
  out += e;
  int exponent = d.digits.empty() ? 0 : d.dp - 1;
  out += exponent < 0 ? '-' : '+';
  exponent = std::abs(exponent);
  out += exponent < 10 ? fmt::format("0{}", exponent) : fmt::format("{}", exponent);
  return out;
}

std::string layout_f(const Decimal& d, int precision) {
  std::string out;
  const int nd = static_cast<int>(d.digits.size());
  if (d.dp > 0) {
    for (int i = 0; i < d.dp; ++i) {
      out += i < nd ? d.digits[static_cast<std::size_t>(i)] : '0';
    }
  } else {
    out += '0';
  }
  if (precision > 0) {
    out += '.';
    for (int i = 1; i <= precision; ++i) {
      const int j = d.dp + i - 1;
      out += (j >= 0 && j < nd) ? d.digits[static_cast<std::size_t>(j)] : '0';
    }
  }
  return out;
}

struct Spec {
  bool minus = false;
  bool plus = false;
  bool sharp = false;
  bool space = false;
  bool zero = false;
  bool plus_v = false;
  int width = -1;      // -1: none
  int precision = -1;  // -1: none
};

class Printer {
 public:
  std::string out;

  void print(const Value& v, char verb, const Spec& spec, int depth = 0);
  void bad_verb(const Value& v, char verb);

 private:
  void pad(std::string_view s, const Spec& spec);
  void print_integer(std::uint64_t magnitude, bool negative, char verb, const Spec& spec, const Value& v);
  void print_float(double f, char verb, const Spec& spec, const Value& v);
  void print_string(std::string_view s, char verb, const Spec& spec, const Value& v);
};

void Printer::pad(std::string_view s, const Spec& spec) {
  const int runes = static_cast<int>(util::utf8_rune_count(s));
  if (spec.width <= runes) {
    out += s;
    return;
  }
  const std::string padding(static_cast<std::size_t>(spec.width - runes), spec.zero && !spec.minus ? '0' : ' ');
  if (spec.minus) {
    out += s;
    out += padding;
  } else {
    out += padding;
    out += s;
  }
}

void Printer::bad_verb(const Value& v, char verb) {
  out += "%!";
  out += verb;
  out += '(';
  if (v.valid() && v.kind() != Value::Kind::nil) {
    out += v.type();
    out += '=';
    print(v, 'v', Spec{});
  } else {
    out += "<nil>";
  }
  out += ')';
}

void Printer::print_integer(std::uint64_t u, bool negative, char verb, const Spec& spec, const Value& v) {
  int base = 10;
  switch (verb) {
  case 'v':
  case 'd': base = 10; break;
  case 'b': base = 2; break;
  case 'o':
  case 'O': base = 8; break;
  case 'x':
  case 'X': base = 16; break;
  case 'c': {
    std::string s;
    util::append_utf8(s, negative || u > 0x10FFFF ? char32_t{0xFFFD} : static_cast<char32_t>(u));
    pad(s, spec);
    return;
  }
  case 'q': {
    std::string s;
    util::append_utf8(s, negative || u > 0x10FFFF ? char32_t{0xFFFD} : static_cast<char32_t>(u));
    std::string quoted = util::go_quote(s);
    quoted.front() = '\'';
    quoted.back() = '\'';
    if (s == "'") {
      quoted = "'\\''";
    } else if (s == "\"") {
      quoted = "'\"'";
    }
    pad(quoted, spec);
    return;
  }
  case 'U': {
    std::string s = fmt::format("U+{:04X}", u);
    if (spec.sharp && u <= 0x10FFFF && util::go_is_print(static_cast<char32_t>(u))) {
      s += " '";
      util::append_utf8(s, static_cast<char32_t>(u));
      s += '\'';
    }
    pad(s, spec);
    return;
  }
  default: bad_verb(v, verb); return;
  }
  std::string digits;
  if (u == 0) {
    digits = "0";
  }
  const char* symbols = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  for (std::uint64_t n = u; n > 0; n /= static_cast<std::uint64_t>(base)) {
    digits.insert(digits.begin(), symbols[n % static_cast<std::uint64_t>(base)]);
  }
  int precision = 0;
  Spec padding = spec;
  if (spec.precision >= 0) {
    precision = spec.precision;
    if (precision == 0 && u == 0) {
      digits.clear();
    }
  } else if (spec.zero && spec.width >= 0 && !spec.minus) {
    precision = spec.width;
    if (negative || spec.plus || spec.space) {
      --precision;
    }
  }
  padding.zero = false;
  while (static_cast<int>(digits.size()) < precision) {
    digits.insert(digits.begin(), '0');
  }
  std::string prefix;
  if (spec.sharp) {
    if (base == 8 && (digits.empty() || digits[0] != '0')) {
      prefix = "0";
    } else if (base == 16) {
      prefix = verb == 'X' ? "0X" : "0x";
    } else if (base == 2) {
      prefix = "0b";
    }
  }
  if (verb == 'O') {
    prefix = "0o";
  }
  std::string sign;
  if (negative) {
    sign = "-";
  } else if (spec.plus) {
    sign = "+";
  } else if (spec.space) {
    sign = " ";
  }
  pad(sign + prefix + digits, padding);
}

void Printer::print_float(double f, char verb, const Spec& spec, const Value& v) {
  int precision = -1;
  char go_verb = verb;
  switch (verb) {
  case 'v': go_verb = 'g'; break;
  case 'g':
  case 'G': break;
  case 'e':
  case 'E':
  case 'f': precision = 6; break;
  case 'F':
    go_verb = 'f';
    precision = 6;
    break;
  default: bad_verb(v, verb); return;
  }
  if (spec.precision >= 0) {
    precision = spec.precision;
  }
  std::string num = format_go_float(f, go_verb, precision);
  if (num[0] != '-' && num[0] != '+') {
    num.insert(num.begin(), '+');
  }
  if (spec.space && num[0] == '+' && !spec.plus) {
    num[0] = ' ';
  }
  if (num[1] == 'I' || num[1] == 'N') {
    Spec no_zero = spec;
    no_zero.zero = false;
    if (num[1] == 'N' && !spec.space && !spec.plus) {
      num.erase(0, 1);
    }
    pad(num, no_zero);
    return;
  }
  if (spec.plus || num[0] != '+') {
    if (spec.zero && spec.width > static_cast<int>(num.size()) && !spec.minus) {
      out += num[0];
      out += std::string(static_cast<std::size_t>(spec.width) - num.size(), '0');
      out += num.substr(1);
      return;
    }
    pad(num, spec);
    return;
  }
  pad(std::string_view(num).substr(1), spec);
}

void Printer::print_string(std::string_view s, char verb, const Spec& spec, const Value& v) {
  switch (verb) {
  case 'v':
  case 's': {
    if (spec.precision >= 0) {
      std::size_t i = 0;
      for (int n = 0; n < spec.precision && i < s.size(); ++n) {
        i += util::decode_utf8(s.substr(i)).width;
      }
      s = s.substr(0, i);
    }
    pad(s, spec);
    return;
  }
  case 'q': pad(util::go_quote(s), spec); return;
  case 'x':
  case 'X': {
    std::string_view bytes = s;
    if (spec.precision >= 0 && static_cast<std::size_t>(spec.precision) < bytes.size()) {
      bytes = bytes.substr(0, static_cast<std::size_t>(spec.precision));
    }
    std::string hex;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (spec.space && i > 0) {
        hex += ' ';
      }
      if (spec.sharp && (spec.space || i == 0)) {
        hex += verb == 'X' ? "0X" : "0x";
      }
      hex += fmt::format(fmt::runtime(verb == 'X' ? "{:02X}" : "{:02x}"), static_cast<unsigned char>(bytes[i]));
    }
    pad(hex, spec);
    return;
  }
  default: bad_verb(v, verb); return;
  }
}

bool method_verb(char verb) {
  return verb == 'v' || verb == 's' || verb == 'x' || verb == 'X' || verb == 'q';
}

void Printer::print(const Value& v, char verb, const Spec& spec, int depth) {
  if (verb == 'T') {
    pad(v.valid() && v.kind() != Value::Kind::nil ? std::string_view(v.type()) : std::string_view("<nil>"), spec);
    return;
  }
  switch (v.kind()) {
  case Value::Kind::invalid:
  case Value::Kind::nil:
    if (verb == 'v') {
      pad("<nil>", spec);
    } else {
      bad_verb(v, verb);
    }
    return;
  case Value::Kind::boolean:
    if (verb == 't' || verb == 'v') {
      pad(v.as_bool() ? "true" : "false", spec);
    } else {
      bad_verb(v, verb);
    }
    return;
  case Value::Kind::signed_integer: {
    const std::int64_t i = v.as_int();
    const std::uint64_t magnitude = i < 0 ? ~static_cast<std::uint64_t>(i) + 1 : static_cast<std::uint64_t>(i);
    print_integer(magnitude, i < 0, verb, spec, v);
    return;
  }
  case Value::Kind::unsigned_integer: print_integer(v.as_uint(), false, verb, spec, v); return;
  case Value::Kind::floating: print_float(v.as_float(), verb, spec, v); return;
  case Value::Kind::string: print_string(v.text(), verb, spec, v); return;
  case Value::Kind::duration:
    if (method_verb(verb)) {
      print_string(util::format_go_duration(v.as_duration()), verb, spec, v);
    } else {
      const std::int64_t i = v.as_int();
      const std::uint64_t magnitude = i < 0 ? ~static_cast<std::uint64_t>(i) + 1 : static_cast<std::uint64_t>(i);
      print_integer(magnitude, i < 0, verb, spec, v);
    }
    return;
  case Value::Kind::time:
  case Value::Kind::error:
  case Value::Kind::stringer: {
    const std::string text =
      v.kind() == Value::Kind::time ? go_time_string(v.time_point(), v.zone()) : std::string(v.text());
    if (method_verb(verb)) {
      print_string(text, verb, spec, v);
    } else {
      bad_verb(v, verb);
    }
    return;
  }
  case Value::Kind::list: {
    out += '[';
    bool first = true;
    for (const auto& item : v.items()) {
      if (!first) {
        out += ' ';
      }
      first = false;
      print(item, verb, spec, depth + 1);
    }
    out += ']';
    return;
  }
  case Value::Kind::map: {
    out += "map[";
    bool first = true;
    for (const auto& [key, item] : v.entries()) {
      if (!first) {
        out += ' ';
      }
      first = false;
      print(Value::string(key), verb, spec, depth + 1);
      out += ':';
      print(item, verb, spec, depth + 1);
    }
    out += ']';
    return;
  }
  case Value::Kind::structure: {
    if (v.is_pointer()) {
      out += '&';
    }
    out += '{';
    bool first = true;
    for (const auto& [name, item] : v.fields()) {
      if (!first) {
        out += ' ';
      }
      first = false;
      if (spec.plus_v) {
        out += name;
        out += ':';
      }
      print(item, verb, spec, depth + 1);
    }
    out += '}';
    return;
  }
  }
}

// The integer value of a '*' width or precision argument.
std::optional<int> int_argument(const Value& v) {
  if (v.kind() == Value::Kind::signed_integer) {
    const auto i = v.as_int();
    if (i >= -1'000'000 && i <= 1'000'000) {
      return static_cast<int>(i);
    }
  } else if (v.kind() == Value::Kind::unsigned_integer && v.as_uint() <= 1'000'000) {
    return static_cast<int>(v.as_uint());
  }
  return std::nullopt;
}

}  // namespace

std::string format_go_float(double v, char verb, int precision) {
  if (std::isnan(v)) {
    return "NaN";
  }
  if (std::isinf(v)) {
    return v > 0 ? "+Inf" : "-Inf";
  }
  const bool negative = std::signbit(v);
  const double a = std::fabs(v);
  const bool shortest = precision < 0;
  std::string body;
  switch (verb) {
  case 'e':
  case 'E': {
    const Decimal d = shortest ? shortest_decimal(a) : significant_decimal(a, precision + 1);
    body = layout_e(d, shortest ? std::max(static_cast<int>(d.digits.size()) - 1, 0) : precision, verb);
    break;
  }
  case 'f': {
    const Decimal d = shortest ? shortest_decimal(a) : fixed_decimal(a, precision);
    body = layout_f(d, shortest ? std::max(static_cast<int>(d.digits.size()) - d.dp, 0) : precision);
    break;
  }
  default: {  // g, G
    int eprec = precision;
    Decimal d;
    if (shortest) {
      d = shortest_decimal(a);
      precision = static_cast<int>(d.digits.size());
      eprec = 6;
    } else {
      if (precision == 0) {
        precision = 1;
      }
      d = significant_decimal(a, precision);
      trim_zeros(d);
      eprec = precision;
      const int nd = static_cast<int>(d.digits.size());
      if (eprec > nd && nd >= d.dp) {
        eprec = nd;
      }
    }
    const int nd = static_cast<int>(d.digits.size());
    const int exponent = d.dp - 1;
    if (exponent < -4 || exponent >= eprec) {
      if (precision > nd) {
        precision = nd;
      }
      body = layout_e(d, precision - 1, verb == 'G' ? 'E' : 'e');
    } else {
      if (precision > d.dp) {
        precision = nd;
      }
      body = layout_f(d, std::max(precision - d.dp, 0));
    }
    break;
  }
  }
  return negative ? "-" + body : body;
}

std::string go_sprint_value(const Value& v) {
  Printer p;
  p.print(v, 'v', Spec{});
  return std::move(p.out);
}

std::string go_sprint(std::span<const Value> args) {
  Printer p;
  bool previous_string = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool is_string = args[i].kind() == Value::Kind::string;
    if (i > 0 && !is_string && !previous_string) {
      p.out += ' ';
    }
    p.print(args[i], 'v', Spec{});
    previous_string = is_string;
  }
  return std::move(p.out);
}

std::string go_sprintln(std::span<const Value> args) {
  Printer p;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) {
      p.out += ' ';
    }
    p.print(args[i], 'v', Spec{});
  }
  p.out += '\n';
  return std::move(p.out);
}

std::string go_sprintf(std::string_view format, std::span<const Value> args) {
  Printer p;
  std::size_t arg = 0;
  const std::size_t end = format.size();
  for (std::size_t i = 0; i < end;) {
    const std::size_t start = i;
    while (i < end && format[i] != '%') {
      ++i;
    }
    p.out.append(format.substr(start, i - start));
    if (i >= end) {
      break;
    }
    ++i;  // the '%'
    Spec spec;
    for (; i < end; ++i) {
      const char c = format[i];
      if (c == '#') {
        spec.sharp = true;
      } else if (c == '0') {
        spec.zero = !spec.minus;
      } else if (c == '+') {
        spec.plus = true;
      } else if (c == '-') {
        spec.minus = true;
        spec.zero = false;
      } else if (c == ' ') {
        spec.space = true;
      } else {
        break;
      }
    }
    // Width.
    if (i < end && format[i] == '*') {
      ++i;
      if (arg < args.size() && int_argument(args[arg])) {
        spec.width = *int_argument(args[arg]);
        if (spec.width < 0) {
          spec.minus = true;
          spec.zero = false;
          spec.width = -spec.width;
        }
      } else {
        p.out += "%!(BADWIDTH)";
      }
      ++arg;
    } else {
      int width = -1;
      while (i < end && format[i] >= '0' && format[i] <= '9') {
        width = (width < 0 ? 0 : width) * 10 + (format[i] - '0');
        if (width > 1'000'000) {
          width = 1'000'000;
        }
        ++i;
      }
      spec.width = width;
    }
    // Precision.
    if (i + 1 <= end && i < end && format[i] == '.') {
      ++i;
      if (i < end && format[i] == '*') {
        ++i;
        const auto precision = arg < args.size() ? int_argument(args[arg]) : std::nullopt;
        if (precision && *precision >= 0) {
          spec.precision = *precision;
        } else {
          spec.precision = -1;
          p.out += "%!(BADPREC)";
        }
        ++arg;
      } else {
        int precision = 0;
        while (i < end && format[i] >= '0' && format[i] <= '9') {
          precision = precision * 10 + (format[i] - '0');
          if (precision > 1'000'000) {
            precision = 1'000'000;
          }
          ++i;
        }
        spec.precision = precision;
      }
    }
    if (i >= end) {
      p.out += "%!(NOVERB)";
      break;
    }
    const util::Utf8Rune verb_rune = util::decode_utf8(format.substr(i));
    i += verb_rune.width;
    if (verb_rune.rune == '%') {
      p.out += '%';
      continue;
    }
    if (verb_rune.rune >= 0x80) {
      // No Go verb is outside ASCII.
      p.out += "%!";
      util::append_utf8(p.out, verb_rune.rune);
      p.out += arg < args.size() ? "(" + args[arg].type() + "=" + go_sprint_value(args[arg]) + ")" : "(MISSING)";
      ++arg;
      continue;
    }
    const char verb = static_cast<char>(verb_rune.rune);
    if (arg >= args.size()) {
      p.out += "%!";
      p.out += verb;
      p.out += "(MISSING)";
      continue;
    }
    if (verb == 'v' && spec.plus) {
      spec.plus_v = true;
      spec.plus = false;
    }
    p.print(args[arg], verb, spec);
    ++arg;
  }
  if (arg < args.size()) {
    p.out += "%!(EXTRA ";
    for (std::size_t j = arg; j < args.size(); ++j) {
      if (j > arg) {
        p.out += ", ";
      }
      if (args[j].valid() && args[j].kind() != Value::Kind::nil) {
        p.out += args[j].type();
        p.out += '=';
        p.print(args[j], 'v', Spec{});
      } else {
        p.out += "<nil>";
      }
    }
    p.out += ')';
  }
  return std::move(p.out);
}

}  // namespace volback::notify
