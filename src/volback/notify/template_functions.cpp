#include <volback/notify/template_functions.hpp>

#include <fmt/format.h>

#include <volback/notify/go_format.hpp>
#include <volback/notify/go_time.hpp>
#include <volback/notify/html_escape.hpp>
#include <volback/util/duration.hpp>
#include <volback/util/utf8.hpp>

namespace volback::notify {

namespace {

enum class BasicKind { invalid, boolean, integer, unsigned_integer, floating, string };

BasicKind basic_kind(const Value& v) {
  switch (v.kind()) {
  case Value::Kind::boolean: return BasicKind::boolean;
  case Value::Kind::signed_integer:
  case Value::Kind::duration: return BasicKind::integer;
  case Value::Kind::unsigned_integer: return BasicKind::unsigned_integer;
  case Value::Kind::floating: return BasicKind::floating;
  case Value::Kind::string: return BasicKind::string;
  default: return BasicKind::invalid;
  }
}

// A nil interface compares as no value.
Value indirect_interface(const Value& v) {
  return v.kind() == Value::Kind::nil ? Value() : v;
}

tl::unexpected<util::Error> error(std::string message) {
  return util::fail(util::ErrorKind::invalid_argument, std::move(message));
}

bool comparable(const Value& v) {
  switch (v.kind()) {
  case Value::Kind::list:
  case Value::Kind::map: return false;
  case Value::Kind::structure:
    for (const auto& [name, field] : v.fields()) {
      if (!comparable(field)) {
        return false;
      }
    }
    return true;
  default: return true;
  }
}

// Go's == on two values of the same dynamic type.
bool same(const Value& a, const Value& b) {
  if (a.type() != b.type() || a.kind() != b.kind()) {
    return false;
  }
  switch (a.kind()) {
  case Value::Kind::invalid:
  case Value::Kind::nil: return true;
  case Value::Kind::boolean: return a.as_bool() == b.as_bool();
  case Value::Kind::signed_integer:
  case Value::Kind::duration: return a.as_int() == b.as_int();
  case Value::Kind::unsigned_integer: return a.as_uint() == b.as_uint();
  case Value::Kind::floating: return a.as_float() == b.as_float();
  case Value::Kind::string: return a.text() == b.text();
  case Value::Kind::time: return a.time_point() == b.time_point() && a.zone().name() == b.zone().name();
  case Value::Kind::error:
  case Value::Kind::stringer:
    // Pointers: equal only when they are the same value.
    return &a.text() == &b.text();
  case Value::Kind::structure: {
    if (a.is_pointer()) {
      return &a.fields() == &b.fields();
    }
    const auto& fa = a.fields();
    const auto& fb = b.fields();
    for (std::size_t i = 0; i < fa.size() && i < fb.size(); ++i) {
      if (!same(fa[i].second, fb[i].second)) {
        return false;
      }
    }
    return fa.size() == fb.size();
  }
  default: return false;
  }
}

util::Result<bool> eq(std::span<const Value> args) {
  const Value a = indirect_interface(args[0]);
  if (a.valid() && !comparable(a)) {
    return error(fmt::format("uncomparable type {}: {}", a.type(), go_sprint_value(a)));
  }
  if (args.size() < 2) {
    return error("missing argument for comparison");
  }
  const BasicKind ka = basic_kind(a);
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Value b = indirect_interface(args[i]);
    const BasicKind kb = basic_kind(b);
    bool truth = false;
    if (ka != kb) {
      if (ka == BasicKind::integer && kb == BasicKind::unsigned_integer) {
        truth = a.as_int() >= 0 && static_cast<std::uint64_t>(a.as_int()) == b.as_uint();
      } else if (ka == BasicKind::unsigned_integer && kb == BasicKind::integer) {
        truth = b.as_int() >= 0 && a.as_uint() == static_cast<std::uint64_t>(b.as_int());
      } else if (a.valid() && b.valid()) {
        return error("incompatible types for comparison");
      }
    } else {
      switch (ka) {
      case BasicKind::boolean: truth = a.as_bool() == b.as_bool(); break;
      case BasicKind::floating: truth = a.as_float() == b.as_float(); break;
      case BasicKind::integer: truth = a.as_int() == b.as_int(); break;
      case BasicKind::string: truth = a.text() == b.text(); break;
      case BasicKind::unsigned_integer: truth = a.as_uint() == b.as_uint(); break;
      case BasicKind::invalid:
        if (!a.valid() || !b.valid()) {
          truth = a.valid() == b.valid();
        } else {
          if (!comparable(b)) {
            return error(fmt::format("uncomparable type {}: {}", b.type(), go_sprint_value(b)));
          }
          truth = same(a, b);
        }
        break;
      }
    }
    if (truth) {
      return true;
    }
  }
  return false;
}

util::Result<bool> lt(const Value& a0, const Value& b0) {
  const Value a = indirect_interface(a0);
  const Value b = indirect_interface(b0);
  const BasicKind ka = basic_kind(a);
  const BasicKind kb = basic_kind(b);
  if (ka == BasicKind::invalid || kb == BasicKind::invalid) {
    return error("invalid type for comparison");
  }
  if (ka != kb) {
    if (ka == BasicKind::integer && kb == BasicKind::unsigned_integer) {
      return a.as_int() < 0 || static_cast<std::uint64_t>(a.as_int()) < b.as_uint();
    }
    if (ka == BasicKind::unsigned_integer && kb == BasicKind::integer) {
      return b.as_int() >= 0 && a.as_uint() < static_cast<std::uint64_t>(b.as_int());
    }
    return error("incompatible types for comparison");
  }
  switch (ka) {
  case BasicKind::boolean: return error("invalid type for comparison");
  case BasicKind::floating: return a.as_float() < b.as_float();
  case BasicKind::integer: return a.as_int() < b.as_int();
  case BasicKind::string: return a.text() < b.text();
  case BasicKind::unsigned_integer: return a.as_uint() < b.as_uint();
  case BasicKind::invalid: break;
  }
  return error("invalid type for comparison");
}

util::Result<Value> boolean(util::Result<bool> b) {
  if (!b) {
    return tl::unexpected(b.error());
  }
  return Value::boolean(*b);
}

// An index argument for a slice or string of length `length`.
util::Result<std::size_t> index_argument(const Value& v, std::size_t length) {
  std::int64_t x = 0;
  switch (v.kind()) {
  case Value::Kind::signed_integer:
  case Value::Kind::duration: x = v.as_int(); break;
  case Value::Kind::unsigned_integer:
    x = v.as_uint() > static_cast<std::uint64_t>(INT64_MAX) ? -1 : static_cast<std::int64_t>(v.as_uint());
    break;
  case Value::Kind::invalid:
  case Value::Kind::nil: return error("cannot index slice/array with nil");
  default: return error(fmt::format("cannot index slice/array with type {}", v.type()));
  }
  if (x < 0 || static_cast<std::uint64_t>(x) > length) {
    return error(fmt::format("index out of range: {}", x));
  }
  return static_cast<std::size_t>(x);
}

util::Result<Value> index(std::span<const Value> args) {
  Value item = indirect_interface(args[0]);
  if (!item.valid()) {
    return error("index of untyped nil");
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Value key = indirect_interface(args[i]);
    switch (item.kind()) {
    case Value::Kind::list: {
      VOLBACK_TRY_ASSIGN(const auto x, index_argument(key, item.items().size()));
      if (x >= item.items().size()) {
        return error(fmt::format("index out of range: {}", x));
      }
      item = item.items()[x];
      break;
    }
    case Value::Kind::string: {
      VOLBACK_TRY_ASSIGN(const auto x, index_argument(key, item.text().size()));
      if (x >= item.text().size()) {
        return error(fmt::format("index out of range: {}", x));
      }
      item = Value::unsigned_integer(static_cast<unsigned char>(item.text()[x]), "uint8");
      break;
    }
    case Value::Kind::map: {
      if (!key.valid()) {
        return error("value is nil; should be of type string");
      }
      if (key.kind() != Value::Kind::string) {
        return error(fmt::format("value has type {}; should be string", key.type()));
      }
      const auto it = item.entries().find(key.text());
      item = it == item.entries().end() ? item.map_zero() : it->second;
      break;
    }
    default: return error(fmt::format("can't index item of type {}", item.type()));
    }
  }
  return item;
}

util::Result<Value> slice(std::span<const Value> args) {
  const Value item = indirect_interface(args[0]);
  if (!item.valid()) {
    return error("slice of untyped nil");
  }
  const std::size_t n = args.size() - 1;
  if (n > 3) {
    return error(fmt::format("too many slice indexes: {}", n));
  }
  std::size_t length = 0;
  if (item.kind() == Value::Kind::string) {
    if (n == 3) {
      return error("cannot 3-index slice a string");
    }
    length = item.text().size();
  } else if (item.kind() == Value::Kind::list) {
    length = item.items().size();
  } else {
    return error(fmt::format("can't slice item of type {}", item.type()));
  }
  std::size_t idx[3] = {0, length, length};
  for (std::size_t i = 0; i < n; ++i) {
    VOLBACK_TRY_ASSIGN(idx[i], index_argument(indirect_interface(args[i + 1]), length));
  }
  if (idx[0] > idx[1]) {
    return error(fmt::format("invalid slice index: {} > {}", idx[0], idx[1]));
  }
  if (n == 3 && idx[1] > idx[2]) {
    return error(fmt::format("invalid slice index: {} > {}", idx[1], idx[2]));
  }
  if (item.kind() == Value::Kind::string) {
    return Value::string(item.text().substr(idx[0], idx[1] - idx[0]), item.type());
  }
  std::vector<Value> items(item.items().begin() + static_cast<std::ptrdiff_t>(idx[0]),
                           item.items().begin() + static_cast<std::ptrdiff_t>(idx[1]));
  return Value::list(std::move(items), item.type());
}

util::Result<Value> length(const Value& v) {
  switch (v.kind()) {
  case Value::Kind::string: return Value::integer(static_cast<std::int64_t>(v.text().size()));
  case Value::Kind::list: return Value::integer(static_cast<std::int64_t>(v.items().size()));
  case Value::Kind::map: return Value::integer(static_cast<std::int64_t>(v.entries().size()));
  case Value::Kind::nil: return error("len of nil pointer");
  default: return error(fmt::format("len of type {}", v.type()));
  }
}

// The text html, js and urlquery escape: the one string argument, or fmt.Sprint of the
// arguments as an action prints them.
std::string escaper_text(std::span<const Value> args) {
  if (args.size() == 1 && args[0].kind() == Value::Kind::string) {
    return args[0].text();
  }
  std::vector<Value> printable;
  for (const auto& arg : args) {
    printable.push_back(arg.valid() && arg.kind() != Value::Kind::nil ? arg.without_pointer()
                                                                      : Value::string("<no value>"));
  }
  return go_sprint(printable);
}

std::string js_escape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '"': out += "\\\""; break;
      case '<': out += "\\u003C"; break;
      case '>': out += "\\u003E"; break;
      case '&': out += "\\u0026"; break;
      case '=': out += "\\u003D"; break;
      default:
        if (c < ' ') {
          out += fmt::format("\\u00{:02X}", c);
        } else {
          out += static_cast<char>(c);
        }
      }
      ++i;
      continue;
    }
    const auto rune = util::decode_utf8(s.substr(i));
    if (rune.valid && util::go_is_print(rune.rune)) {
      out.append(s.substr(i, rune.width));
    } else {
      out += fmt::format("\\u{:04X}", static_cast<std::uint32_t>(rune.rune));
    }
    i += rune.width;
  }
  return out;
}

std::string query_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

Function make(std::vector<ParamType> params, bool variadic,
              std::function<util::Result<Value>(std::span<const Value>)> call) {
  return Function{std::move(params), variadic, Function::Special::none, std::move(call)};
}

FunctionMap make_builtins() {
  using P = ParamType;
  FunctionMap f;
  f["and"] = Function{{P::value, P::value}, true, Function::Special::and_op, nullptr};
  f["or"] = Function{{P::value, P::value}, true, Function::Special::or_op, nullptr};
  f["not"] = make({P::value}, false, [](auto a) -> util::Result<Value> { return Value::boolean(!a[0].truth()); });
  f["len"] = make({P::value}, false, [](auto a) { return length(a[0]); });
  f["index"] = make({P::value, P::value}, true, [](auto a) { return index(a); });
  f["slice"] = make({P::value, P::value}, true, [](auto a) { return slice(a); });
  f["print"] = make({P::any}, true, [](auto a) -> util::Result<Value> { return Value::string(go_sprint(a)); });
  f["println"] = make({P::any}, true, [](auto a) -> util::Result<Value> { return Value::string(go_sprintln(a)); });
  f["printf"] = make({P::string, P::any}, true, [](auto a) -> util::Result<Value> {
    return Value::string(go_sprintf(a[0].text(), a.subspan(1)));
  });
  f["eq"] = make({P::value, P::value}, true, [](auto a) { return boolean(eq(a)); });
  f["ne"] = make({P::value, P::value}, false, [](auto a) -> util::Result<Value> {
    VOLBACK_TRY_ASSIGN(const bool equal, eq(a));
    return Value::boolean(!equal);
  });
  f["lt"] = make({P::value, P::value}, false, [](auto a) { return boolean(lt(a[0], a[1])); });
  f["le"] = make({P::value, P::value}, false, [](auto a) -> util::Result<Value> {
    VOLBACK_TRY_ASSIGN(const bool less, lt(a[0], a[1]));
    if (less) {
      return Value::boolean(true);
    }
    return boolean(eq(a));
  });
  f["gt"] = make({P::value, P::value}, false, [](auto a) -> util::Result<Value> {
    VOLBACK_TRY_ASSIGN(const bool less, lt(a[0], a[1]));
    if (less) {
      return Value::boolean(false);
    }
    VOLBACK_TRY_ASSIGN(const bool equal, eq(a));
    return Value::boolean(!equal);
  });
  f["ge"] = make({P::value, P::value}, false, [](auto a) -> util::Result<Value> {
    VOLBACK_TRY_ASSIGN(const bool less, lt(a[0], a[1]));
    return Value::boolean(!less);
  });
  f["html"] =
    make({P::any}, true, [](auto a) -> util::Result<Value> { return Value::string(html_escape(escaper_text(a))); });
  f["js"] =
    make({P::any}, true, [](auto a) -> util::Result<Value> { return Value::string(js_escape(escaper_text(a))); });
  f["urlquery"] =
    make({P::any}, true, [](auto a) -> util::Result<Value> { return Value::string(query_escape(escaper_text(a))); });
  return f;
}

Function method(std::vector<ParamType> params, std::function<util::Result<Value>(std::span<const Value>)> call) {
  return Function{std::move(params), false, Function::Special::none, std::move(call)};
}

std::optional<Function> time_method(const Value& t, std::string_view name) {
  const auto civil = [t] { return t.zone().civil(t.time_point()); };
  const auto since_epoch = [t] { return t.time_point().time_since_epoch(); };
  const auto integer = [](std::int64_t i) -> util::Result<Value> { return Value::integer(i, "int"); };
  if (name == "Format") {
    return method({ParamType::string}, [t](auto a) -> util::Result<Value> {
      return Value::string(format_go_time(t.time_point(), t.zone(), a[0].text()));
    });
  }
  if (name == "String") {
    return method({},
                  [t](auto) -> util::Result<Value> { return Value::string(go_time_string(t.time_point(), t.zone())); });
  }
  if (name == "UTC") {
    return method({}, [t](auto) -> util::Result<Value> { return Value::time(t.time_point(), util::TimeZone::utc()); });
  }
  if (name == "IsZero") {
    // Go's zero time is year 1; volback's times are never zero.
    return method({}, [](auto) -> util::Result<Value> { return Value::boolean(false); });
  }
  using std::chrono::duration_cast;
  if (name == "Unix") {
    return method({}, [since_epoch](auto) -> util::Result<Value> {
      return Value::integer(duration_cast<std::chrono::seconds>(since_epoch()).count(), "int64");
    });
  }
  if (name == "UnixMilli") {
    return method({}, [since_epoch](auto) -> util::Result<Value> {
      return Value::integer(duration_cast<std::chrono::milliseconds>(since_epoch()).count(), "int64");
    });
  }
  if (name == "UnixNano") {
    return method({}, [since_epoch](auto) -> util::Result<Value> {
      return Value::integer(duration_cast<std::chrono::nanoseconds>(since_epoch()).count(), "int64");
    });
  }
  if (name == "Year") {
    return method({}, [civil, integer](auto) { return integer(civil().year); });
  }
  if (name == "YearDay") {
    return method({}, [civil, integer](auto) { return integer(civil().year_day); });
  }
  if (name == "Day") {
    return method({}, [civil, integer](auto) { return integer(civil().day); });
  }
  if (name == "Hour") {
    return method({}, [civil, integer](auto) { return integer(civil().hour); });
  }
  if (name == "Minute") {
    return method({}, [civil, integer](auto) { return integer(civil().minute); });
  }
  if (name == "Second") {
    return method({}, [civil, integer](auto) { return integer(civil().second); });
  }
  if (name == "Nanosecond") {
    return method({}, [civil, integer](auto) { return integer(civil().nanosecond); });
  }
  return std::nullopt;
}

std::optional<Function> duration_method(const Value& d, std::string_view name) {
  const auto ns = d.as_int();
  if (name == "String") {
    return method(
      {}, [d](auto) -> util::Result<Value> { return Value::string(util::format_go_duration(d.as_duration())); });
  }
  // Go splits whole and fractional parts so that large durations keep their precision.
  const auto in_unit = [ns](std::int64_t unit) {
    return static_cast<double>(ns / unit) + static_cast<double>(ns % unit) / static_cast<double>(unit);
  };
  if (name == "Seconds") {
    return method({}, [in_unit](auto) -> util::Result<Value> { return Value::floating(in_unit(1'000'000'000)); });
  }
  if (name == "Minutes") {
    return method({}, [in_unit](auto) -> util::Result<Value> { return Value::floating(in_unit(60'000'000'000)); });
  }
  if (name == "Hours") {
    return method({}, [in_unit](auto) -> util::Result<Value> { return Value::floating(in_unit(3'600'000'000'000)); });
  }
  if (name == "Milliseconds") {
    return method({}, [ns](auto) -> util::Result<Value> { return Value::integer(ns / 1'000'000, "int64"); });
  }
  if (name == "Microseconds") {
    return method({}, [ns](auto) -> util::Result<Value> { return Value::integer(ns / 1'000, "int64"); });
  }
  if (name == "Nanoseconds") {
    return method({}, [ns](auto) -> util::Result<Value> { return Value::integer(ns, "int64"); });
  }
  return std::nullopt;
}

}  // namespace

std::string_view param_type_name(ParamType type) {
  switch (type) {
  case ParamType::value: return "reflect.Value";
  case ParamType::any: return "interface {}";
  case ParamType::string: return "string";
  case ParamType::time: return "time.Time";
  case ParamType::uint64: return "uint64";
  case ParamType::int64: return "int64";
  }
  return "";
}

const FunctionMap& builtin_functions() {
  static const FunctionMap functions = make_builtins();
  return functions;
}

std::optional<Function> find_method(const Value& receiver, std::string_view name) {
  switch (receiver.kind()) {
  case Value::Kind::time: return time_method(receiver, name);
  case Value::Kind::duration: return duration_method(receiver, name);
  case Value::Kind::error:
    if (name == "Error") {
      return method({}, [receiver](auto) -> util::Result<Value> { return Value::string(receiver.text()); });
    }
    return std::nullopt;
  case Value::Kind::stringer:
    if (name == "String") {
      return method({}, [receiver](auto) -> util::Result<Value> { return Value::string(receiver.text()); });
    }
    if (name == "Len") {
      return method({}, [receiver](auto) -> util::Result<Value> {
        return Value::integer(static_cast<std::int64_t>(receiver.text().size()));
      });
    }
    return std::nullopt;
  default: return std::nullopt;
  }
}

}  // namespace volback::notify
