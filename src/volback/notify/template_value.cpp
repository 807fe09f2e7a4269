#include <volback/notify/template_value.hpp>

namespace volback::notify {

struct Value::Payload {
  std::string type;
  std::string text;
  std::vector<Value> items;
  Entries entries;
  Fields fields;
  std::shared_ptr<const Value> zero;
  util::TimePoint time{};
  util::TimeZone zone = util::TimeZone::utc();
};

namespace {

const std::string& empty_string() {
  static const std::string empty;
  return empty;
}

}  // namespace

Value Value::nil(std::string type) {
  Value v;
  v.m_kind = Kind::nil;
  v.m_payload = std::make_shared<const Payload>(Payload{.type = std::move(type)});
  return v;
}

Value Value::boolean(bool b) {
  Value v;
  v.m_kind = Kind::boolean;
  v.m_scalar.b = b;
  v.m_payload = std::make_shared<const Payload>(Payload{.type = "bool"});
  return v;
}

Value Value::integer(std::int64_t i, std::string type) {
  Value v;
  v.m_kind = Kind::signed_integer;
  v.m_scalar.i = i;
  v.m_payload = std::make_shared<const Payload>(Payload{.type = std::move(type)});
  return v;
}

Value Value::unsigned_integer(std::uint64_t u, std::string type) {
  Value v;
  v.m_kind = Kind::unsigned_integer;
  v.m_scalar.u = u;
  v.m_payload = std::make_shared<const Payload>(Payload{.type = std::move(type)});
  return v;
}

Value Value::floating(double f) {
  Value v;
  v.m_kind = Kind::floating;
  v.m_scalar.f = f;
  v.m_payload = std::make_shared<const Payload>(Payload{.type = "float64"});
  return v;
}

Value Value::string(std::string s, std::string type) {
  Value v;
  v.m_kind = Kind::string;
  v.m_payload = std::make_shared<const Payload>(Payload{.type = std::move(type), .text = std::move(s)});
  return v;
}

Value Value::list(std::vector<Value> items, std::string type, bool nil) {
  Value v;
  v.m_kind = Kind::list;
  v.m_nil = nil && items.empty();
  v.m_payload = std::make_shared<const Payload>(Payload{.type = std::move(type), .items = std::move(items)});
  return v;
}

Value Value::map(Entries entries, std::string type) {
  return map(std::move(entries), std::move(type), Value());
}

Value Value::map(Entries entries, std::string type, Value zero) {
  Value v;
  v.m_kind = Kind::map;
  v.m_payload = std::make_shared<const Payload>(Payload{
    .type = std::move(type), .entries = std::move(entries), .zero = std::make_shared<const Value>(std::move(zero))});
  return v;
}

const Value& Value::map_zero() const {
  static const Value none;
  return m_payload && m_payload->zero ? *m_payload->zero : none;
}

Value Value::without_pointer() const {
  if (m_kind != Kind::structure || !m_pointer) {
    return *this;
  }
  Value v = *this;
  v.m_pointer = false;
  auto payload = std::make_shared<Payload>(*m_payload);
  payload->type.erase(0, 1);
  v.m_payload = std::move(payload);
  return v;
}

Value Value::structure(std::string type, Fields fields, bool pointer) {
  Value v;
  v.m_kind = Kind::structure;
  v.m_pointer = pointer;
  v.m_payload = std::make_shared<const Payload>(
    Payload{.type = (pointer ? "*" : "") + std::move(type), .fields = std::move(fields)});
  return v;
}

Value Value::time(util::TimePoint t, util::TimeZone zone) {
  Value v;
  v.m_kind = Kind::time;
  v.m_payload = std::make_shared<const Payload>(Payload{.type = "time.Time", .time = t, .zone = std::move(zone)});
  return v;
}

Value Value::duration(std::chrono::nanoseconds d) {
  Value v;
  v.m_kind = Kind::duration;
  v.m_scalar.i = d.count();
  v.m_payload = std::make_shared<const Payload>(Payload{.type = "time.Duration"});
  return v;
}

Value Value::error(std::string message, std::string type) {
  Value v;
  v.m_kind = Kind::error;
  v.m_payload = std::make_shared<const Payload>(Payload{.type = std::move(type), .text = std::move(message)});
  return v;
}

Value Value::stringer(std::string text, std::string type) {
  Value v;
  v.m_kind = Kind::stringer;
  v.m_payload = std::make_shared<const Payload>(Payload{.type = std::move(type), .text = std::move(text)});
  return v;
}

const std::string& Value::type() const {
  static const std::string invalid = "<nil>";
  return m_payload ? m_payload->type : invalid;
}

const std::string& Value::text() const {
  return m_payload ? m_payload->text : empty_string();
}

const std::vector<Value>& Value::items() const {
  static const std::vector<Value> none;
  return m_payload ? m_payload->items : none;
}

const Value::Entries& Value::entries() const {
  static const Entries none;
  return m_payload ? m_payload->entries : none;
}

const Value::Fields& Value::fields() const {
  static const Fields none;
  return m_payload ? m_payload->fields : none;
}

const Value* Value::field(std::string_view name) const {
  for (const auto& [field_name, value] : fields()) {
    if (field_name == name) {
      return &value;
    }
  }
  return nullptr;
}

util::TimePoint Value::time_point() const {
  return m_payload ? m_payload->time : util::TimePoint{};
}

const util::TimeZone& Value::zone() const {
  static const util::TimeZone utc = util::TimeZone::utc();
  return m_payload ? m_payload->zone : utc;
}

bool Value::truth() const {
  switch (m_kind) {
  case Kind::invalid:
  case Kind::nil: return false;
  case Kind::boolean: return m_scalar.b;
  case Kind::signed_integer:
  case Kind::duration: return m_scalar.i != 0;
  case Kind::unsigned_integer: return m_scalar.u != 0;
  case Kind::floating: return m_scalar.f != 0.0;
  case Kind::string: return !text().empty();
  case Kind::list: return !items().empty();
  case Kind::map: return !entries().empty();
  case Kind::structure:
  case Kind::time:
  case Kind::error:
  case Kind::stringer: return true;
  }
  return false;
}

}  // namespace volback::notify
