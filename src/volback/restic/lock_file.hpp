#pragma once
// lock_file: the JSON of restic's lock files (the format's §10.1) and restic 0.14's rules for
// them: when a lock is stale and when two locks conflict. serialize_lock writes the bytes
// restic 0.14 writes; parse_lock reads them defensively (a lock comes from a repository and is
// hostile). Pure: the caller supplies the clock, the hostname and the process check.

#include <cstdint>
#include <string>
#include <string_view>

#include <volback/restic/go_json.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

struct Lock {
  GoTime time;
  bool exclusive = false;
  std::string hostname, username;
  std::int64_t pid = 0;
  std::uint32_t uid = 0, gid = 0;

  bool operator==(const Lock&) const = default;
};

// `{"time":..,"exclusive":false,"hostname":"vm","username":"root","pid":23683,"uid":1000,
// "gid":1000}`, uid and gid left out when 0, strings escaped as Go escapes them.
std::string serialize_lock(const Lock& lock);

// The lock `json`. Accepts whitespace, keys in any order, null (the zero value) and unknown
// keys. Errors, all corrupt: not JSON or nested deeper than 32, not an object, a field of the
// wrong type, a pid outside int64 or a uid or gid outside uint32, a bad time.
util::Result<Lock> parse_lock(std::string_view json);

// restic 0.14's staleness: the lock is more than 30 minutes older than `now`, or it was
// taken on `local_hostname` and `process_alive(pid)` says that process is gone.
bool lock_is_stale(const Lock& lock, GoTime now, std::string_view local_hostname,
                   bool (*process_alive)(std::int64_t pid));

// Whether `existing` stops us from taking a lock: an exclusive lock conflicts with every
// lock; a non-exclusive one only with an exclusive one. Staleness is not considered (0.14
// does not skip stale locks while acquiring).
bool locks_conflict(const Lock& existing, bool want_exclusive);

}  // namespace volback::restic
