#include <volback/restic/lock_file.hpp>

#include <iterator>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/util/json_depth.hpp>

namespace volback::restic {

namespace {

using LockJson = nlohmann::json;

constexpr std::int64_t k_lock_stale_seconds = 30 * 60;

tl::unexpected<util::Error> lock_corrupt(std::string message) {
  return util::fail(util::ErrorKind::corrupt, "lock: " + message);
}

util::Result<void> lock_read_field(Lock& lock, const std::string& key, const LockJson& value) {
  if (value.is_null()) {
    return {};  // the zero value, as Go decodes null
  }
  if (key == "time") {
    if (!value.is_string()) {
      return lock_corrupt("\"time\" is not a string");
    }
    auto time = parse_rfc3339(value.get_ref<const std::string&>());
    if (!time) {
      return util::fail(time.error().with_context("lock \"time\""));
    }
    lock.time = *time;
  } else if (key == "exclusive") {
    if (!value.is_boolean()) {
      return lock_corrupt("\"exclusive\" is not a boolean");
    }
    lock.exclusive = value.get<bool>();
  } else if (key == "hostname" || key == "username") {
    if (!value.is_string()) {
      return lock_corrupt(fmt::format("\"{}\" is not a string", key));
    }
    (key == "hostname" ? lock.hostname : lock.username) = value.get<std::string>();
  } else if (key == "pid") {
    // nlohmann stores non-negative integers as unsigned and negative ones as signed.
    if (value.is_number_unsigned() && value.get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max()) {
      lock.pid = static_cast<std::int64_t>(value.get<std::uint64_t>());
    } else if (value.is_number_integer() && !value.is_number_unsigned()) {
      lock.pid = value.get<std::int64_t>();
    } else {
      return lock_corrupt("\"pid\" is not an int64");
    }
  } else if (key == "uid" || key == "gid") {
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()) {
      return lock_corrupt(fmt::format("\"{}\" is not a uint32", key));
    }
    (key == "uid" ? lock.uid : lock.gid) = static_cast<std::uint32_t>(value.get<std::uint64_t>());
  }
  return {};
}

}  // namespace

std::string serialize_lock(const Lock& lock) {
  std::string out = "{\"time\":\"";
  append_rfc3339_nano(out, lock.time);
  out += lock.exclusive ? "\",\"exclusive\":true,\"hostname\":" : "\",\"exclusive\":false,\"hostname\":";
  append_go_json_string(out, lock.hostname);
  out += ",\"username\":";
  append_go_json_string(out, lock.username);
  fmt::format_to(std::back_inserter(out), ",\"pid\":{}", lock.pid);
  if (lock.uid != 0) {
    fmt::format_to(std::back_inserter(out), ",\"uid\":{}", lock.uid);
  }
  if (lock.gid != 0) {
    fmt::format_to(std::back_inserter(out), ",\"gid\":{}", lock.gid);
  }
  out += '}';
  return out;
}

util::Result<Lock> parse_lock(std::string_view json) {
  if (util::json_nests_deeper_than(json, 32)) {
    return lock_corrupt("nests deeper than 32");
  }
  LockJson document;
  try {
    document = LockJson::parse(json.begin(), json.end());
  } catch (const LockJson::exception& e) {
    std::string what = e.what();
    if (what.size() > 200) {
      what.resize(200);
    }
    return lock_corrupt(fmt::format("not JSON: {}", what));
  }
  if (!document.is_object()) {
    return lock_corrupt("not a JSON object");
  }
  Lock lock;
  for (const auto& [key, value] : document.items()) {
    VOLBACK_TRY(lock_read_field(lock, key, value));
  }
  return lock;
}

bool lock_is_stale(const Lock& lock, GoTime now, std::string_view local_hostname,
                   bool (*process_alive)(std::int64_t pid)) {
  // More than 30 minutes: compare (seconds, nanoseconds) of the instants.
  const std::int64_t seconds = now.unix_seconds - lock.time.unix_seconds;
  const bool older =
    seconds > k_lock_stale_seconds || (seconds == k_lock_stale_seconds && now.nanoseconds > lock.time.nanoseconds);
  if (older) {
    return true;
  }
  return lock.hostname == local_hostname && !process_alive(lock.pid);
}

bool locks_conflict(const Lock& existing, bool want_exclusive) {
  return want_exclusive || existing.exclusive;
}

}  // namespace volback::restic
