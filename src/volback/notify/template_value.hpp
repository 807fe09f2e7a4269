#pragma once
// The values a notification template works on, shaped as Go's text/template sees the
// data through reflection: booleans, signed and unsigned integers (with their Go type
// name: int, uint, uint64, ...), float64, strings, slices, maps with string keys (ranged
// over in sorted order), structs (fields in declaration order, possibly behind a
// pointer), time.Time (an instant in a zone), time.Duration, a non-nil error and a
// "stringer" such as *bytes.Buffer (printed as its text). The default Value is Go's
// invalid reflect.Value: a nil interface or a missing map key, printed "<no value>".
//
// Values are immutable and cheap to copy: compound contents are shared.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <volback/util/clock.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::notify {

class Value {
 public:
  enum class Kind {
    invalid,  // no value: a missing map key, the data of a template called without any
    nil,      // a nil interface or pointer of a known type (a run's Error when it succeeded)
    boolean,
    signed_integer,
    unsigned_integer,
    floating,
    string,
    list,       // a slice; may be nil
    map,        // string keys
    structure,  // may be behind a pointer
    time,       // time.Time
    duration,   // time.Duration
    error,      // a non-nil error: prints its message
    stringer,   // a value with a String method and no exported fields (*bytes.Buffer)
  };
  using Fields = std::vector<std::pair<std::string, Value>>;
  using Entries = std::map<std::string, Value>;

  Value() = default;

  static Value nil(std::string type);
  static Value boolean(bool b);
  static Value integer(std::int64_t v, std::string type = "int");
  static Value unsigned_integer(std::uint64_t v, std::string type = "uint");
  static Value floating(double v);
  static Value string(std::string s, std::string type = "string");
  static Value list(std::vector<Value> items, std::string type, bool nil = false);
  // `zero` is what `index` gives for a missing key: the element type's zero value.
  static Value map(Entries entries, std::string type);
  static Value map(Entries entries, std::string type, Value zero);
  static Value structure(std::string type, Fields fields, bool pointer = false);
  static Value time(util::TimePoint t, util::TimeZone zone);
  static Value duration(std::chrono::nanoseconds d);
  static Value error(std::string message, std::string type = "*errors.errorString");
  static Value stringer(std::string text, std::string type = "*bytes.Buffer");

  Kind kind() const { return m_kind; }
  bool valid() const { return m_kind != Kind::invalid; }
  // Go's type name, as %T and error messages show it ("int", "[]string", "*main.Stats").
  const std::string& type() const;
  bool is_integer() const { return m_kind == Kind::signed_integer || m_kind == Kind::unsigned_integer; }

  bool as_bool() const { return m_scalar.b; }
  std::int64_t as_int() const { return m_scalar.i; }
  std::uint64_t as_uint() const { return m_scalar.u; }
  double as_float() const { return m_scalar.f; }
  std::chrono::nanoseconds as_duration() const { return std::chrono::nanoseconds(m_scalar.i); }
  // The text of a string, the message of an error, the text of a stringer.
  const std::string& text() const;
  const std::vector<Value>& items() const;
  const Entries& entries() const;
  const Fields& fields() const;
  // The named struct field; nullptr when the struct has none.
  const Value* field(std::string_view name) const;
  util::TimePoint time_point() const;
  const util::TimeZone& zone() const;
  bool is_pointer() const { return m_pointer; }
  bool is_nil_list() const { return m_kind == Kind::list && m_nil; }
  // The zero value of a map's elements.
  const Value& map_zero() const;
  // A struct behind a pointer as the struct itself (what an action prints); other values
  // unchanged.
  Value without_pointer() const;

  // Go's notion of truth (if, with, and, or, not): false for an invalid value, false,
  // zero numbers, empty strings, slices and maps; true for everything else.
  bool truth() const;

 private:
  struct Payload;

  Kind m_kind = Kind::invalid;
  bool m_pointer = false;
  bool m_nil = false;
  union Scalar {
    bool b;
    std::int64_t i;
    std::uint64_t u;
    double f;
  } m_scalar{};
  std::shared_ptr<const Payload> m_payload;
};

}  // namespace volback::notify
