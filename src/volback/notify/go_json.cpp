#include <volback/notify/go_json.hpp>

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include <volback/notify/go_format.hpp>
#include <volback/notify/go_time.hpp>
#include <volback/util/go_json_string.hpp>
#include <volback/util/utf8.hpp>

namespace volback::notify {

namespace {

void append_string(std::string& out, std::string_view s) {
  util::append_go_json_string(out, s);
}

std::string json_float(double f) {
  if (std::isnan(f) || std::isinf(f)) {
    return "null";  // Go fails with UnsupportedValueError; toJson then says so
  }
  const double a = std::fabs(f);
  const bool exponent = a != 0 && (a < 1e-6 || a >= 1e21);
  std::string s = format_go_float(f, exponent ? 'e' : 'f', -1);
  if (exponent) {
    // e-09 becomes e-9, as Go cleans it up.
    const auto e = s.find('e');
    if (e != std::string::npos && e + 3 < s.size() + 1 && s[e + 1] == '-' && s[e + 2] == '0') {
      s.erase(e + 2, 1);
    }
  }
  return s;
}

class Writer {
 public:
  explicit Writer(bool indent) : m_indent(indent) {}
  std::string out;

  void value(const Value& v, int depth) {
    switch (v.kind()) {
    case Value::Kind::invalid:
    case Value::Kind::nil: out += "null"; return;
    case Value::Kind::boolean: out += v.as_bool() ? "true" : "false"; return;
    case Value::Kind::signed_integer:
    case Value::Kind::duration: out += fmt::format("{}", v.as_int()); return;
    case Value::Kind::unsigned_integer: out += fmt::format("{}", v.as_uint()); return;
    case Value::Kind::floating: out += json_float(v.as_float()); return;
    case Value::Kind::string: append_string(out, v.text()); return;
    case Value::Kind::time:
      append_string(out, format_go_time(v.time_point(), v.zone(), "2006-01-02T15:04:05.999999999Z07:00"));
      return;
    case Value::Kind::error:
    case Value::Kind::stringer: out += "{}"; return;
    case Value::Kind::list: {
      if (v.is_nil_list()) {
        out += "null";
        return;
      }
      if (v.items().empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& item : v.items()) {
        separator(first, depth + 1);
        value(item, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    }
    case Value::Kind::map: {
      if (v.entries().empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.entries()) {
        separator(first, depth + 1);
        append_string(out, key);
        out += m_indent ? ": " : ":";
        value(item, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
    case Value::Kind::structure: {
      if (v.fields().empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [name, item] : v.fields()) {
        separator(first, depth + 1);
        append_string(out, name);
        out += m_indent ? ": " : ":";
        value(item, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
    }
  }

 private:
  void separator(bool& first, int depth) {
    if (!first) {
      out += ',';
    }
    first = false;
    newline(depth);
  }

  void newline(int depth) {
    if (m_indent) {
      out += '\n';
      out.append(static_cast<std::size_t>(depth) * 2, ' ');
    }
  }

  bool m_indent;
};

}  // namespace

std::string go_json(const Value& v) {
  Writer w(false);
  w.value(v, 0);
  return std::move(w.out);
}

std::string go_json_indented(const Value& v) {
  Writer w(true);
  w.value(v, 0);
  return std::move(w.out);
}

}  // namespace volback::notify
