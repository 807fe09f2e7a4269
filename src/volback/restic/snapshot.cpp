#include <volback/restic/snapshot.hpp>

#include <iterator>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/util/json_depth.hpp>

namespace volback::restic {

namespace {

using SnapshotJson = nlohmann::json;

constexpr std::size_t k_snapshot_max_depth = 32;

tl::unexpected<util::Error> snapshot_corrupt(std::string message) {
  return util::fail(util::ErrorKind::corrupt, "snapshot: " + message);
}

void snapshot_append_key(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;
  out += "\":";
}

void snapshot_append_id(std::string& out, std::string_view key, const Id& id) {
  snapshot_append_key(out, key);
  out += '"';
  out += id.hex();
  out += '"';
}

void snapshot_append_strings(std::string& out, std::string_view key, const std::vector<std::string>& values) {
  snapshot_append_key(out, key);
  if (values.empty()) {
    out += "null";
    return;
  }
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i != 0) {
      out += ',';
    }
    append_go_json_string(out, values[i]);
  }
  out += ']';
}

util::Result<std::string> snapshot_read_string(const SnapshotJson& value, std::string_view key) {
  if (value.is_null()) {
    return std::string();
  }
  if (!value.is_string()) {
    return snapshot_corrupt(fmt::format("\"{}\" is not a string", key));
  }
  return value.get<std::string>();
}

util::Result<std::vector<std::string>> snapshot_read_strings(const SnapshotJson& value, std::string_view key) {
  std::vector<std::string> values;
  if (value.is_null()) {
    return values;
  }
  if (!value.is_array()) {
    return snapshot_corrupt(fmt::format("\"{}\" is not an array", key));
  }
  for (const SnapshotJson& item : value) {
    if (!item.is_string()) {
      return snapshot_corrupt(fmt::format("\"{}\" has an item that is not a string", key));
    }
    values.push_back(item.get<std::string>());
  }
  return values;
}

util::Result<std::optional<Id>> snapshot_read_id(const SnapshotJson& value, std::string_view key) {
  if (value.is_null()) {
    return std::nullopt;
  }
  if (!value.is_string()) {
    return snapshot_corrupt(fmt::format("\"{}\" is not a string", key));
  }
  auto id = Id::parse(value.get_ref<const std::string&>());
  if (!id) {
    return snapshot_corrupt(fmt::format("\"{}\" is not an id", key));
  }
  return *id;
}

util::Result<std::uint32_t> snapshot_read_u32(const SnapshotJson& value, std::string_view key) {
  if (value.is_null()) {
    return 0u;
  }
  if (!value.is_number_unsigned() || value.get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()) {
    return snapshot_corrupt(fmt::format("\"{}\" is not a uint32", key));
  }
  return static_cast<std::uint32_t>(value.get<std::uint64_t>());
}

util::Result<GoTime> snapshot_read_time(const SnapshotJson& value) {
  if (value.is_null()) {
    return GoTime{};
  }
  if (!value.is_string()) {
    return snapshot_corrupt("\"time\" is not a string");
  }
  auto time = parse_rfc3339(value.get_ref<const std::string&>());
  if (!time) {
    return util::fail(time.error().with_context("snapshot \"time\""));
  }
  return *time;
}

util::Result<void> snapshot_read_field(Snapshot& snapshot, bool& has_tree, const std::string& key,
                                       const SnapshotJson& value) {
  if (key == "time") {
    VOLBACK_TRY_ASSIGN(snapshot.time, snapshot_read_time(value));
  } else if (key == "parent") {
    VOLBACK_TRY_ASSIGN(snapshot.parent, snapshot_read_id(value, key));
  } else if (key == "tree") {
    VOLBACK_TRY_ASSIGN(const std::optional<Id> tree, snapshot_read_id(value, key));
    has_tree = tree.has_value();
    snapshot.tree = tree.value_or(Id{});
  } else if (key == "paths") {
    VOLBACK_TRY_ASSIGN(snapshot.paths, snapshot_read_strings(value, key));
  } else if (key == "hostname") {
    VOLBACK_TRY_ASSIGN(snapshot.hostname, snapshot_read_string(value, key));
  } else if (key == "username") {
    VOLBACK_TRY_ASSIGN(snapshot.username, snapshot_read_string(value, key));
  } else if (key == "uid") {
    VOLBACK_TRY_ASSIGN(snapshot.uid, snapshot_read_u32(value, key));
  } else if (key == "gid") {
    VOLBACK_TRY_ASSIGN(snapshot.gid, snapshot_read_u32(value, key));
  } else if (key == "excludes") {
    VOLBACK_TRY_ASSIGN(snapshot.excludes, snapshot_read_strings(value, key));
  } else if (key == "tags") {
    VOLBACK_TRY_ASSIGN(snapshot.tags, snapshot_read_strings(value, key));
  } else if (key == "original") {
    VOLBACK_TRY_ASSIGN(snapshot.original, snapshot_read_id(value, key));
  }
  // Anything else (program_version, summary, ...) is ignored, as restic 0.14 does.
  return {};
}

}  // namespace

std::string serialize_snapshot(const Snapshot& snapshot) {
  std::string out = "{\"time\":\"";
  append_rfc3339_nano(out, snapshot.time);
  out += '"';
  if (snapshot.parent) {
    snapshot_append_id(out, "parent", *snapshot.parent);
  }
  snapshot_append_id(out, "tree", snapshot.tree);
  snapshot_append_strings(out, "paths", snapshot.paths);
  if (!snapshot.hostname.empty()) {
    snapshot_append_key(out, "hostname");
    append_go_json_string(out, snapshot.hostname);
  }
  if (!snapshot.username.empty()) {
    snapshot_append_key(out, "username");
    append_go_json_string(out, snapshot.username);
  }
  if (snapshot.uid != 0) {
    snapshot_append_key(out, "uid");
    fmt::format_to(std::back_inserter(out), "{}", snapshot.uid);
  }
  if (snapshot.gid != 0) {
    snapshot_append_key(out, "gid");
    fmt::format_to(std::back_inserter(out), "{}", snapshot.gid);
  }
  if (!snapshot.excludes.empty()) {
    snapshot_append_strings(out, "excludes", snapshot.excludes);
  }
  if (!snapshot.tags.empty()) {
    snapshot_append_strings(out, "tags", snapshot.tags);
  }
  if (snapshot.original) {
    snapshot_append_id(out, "original", *snapshot.original);
  }
  out += '}';
  return out;
}

util::Result<Snapshot> parse_snapshot(std::string_view json) {
  if (util::json_nests_deeper_than(json, k_snapshot_max_depth)) {
    return snapshot_corrupt(fmt::format("nests deeper than {}", k_snapshot_max_depth));
  }
  SnapshotJson document;
  try {
    document = SnapshotJson::parse(json.begin(), json.end());
  } catch (const SnapshotJson::exception& e) {
    std::string what = e.what();
    if (what.size() > 200) {
      what.resize(200);
      what += "...";
    }
    return snapshot_corrupt(fmt::format("not JSON: {}", what));
  }
  if (!document.is_object()) {
    return snapshot_corrupt("not a JSON object");
  }
  Snapshot snapshot;
  bool has_tree = false;
  for (const auto& [key, value] : document.items()) {
    VOLBACK_TRY(snapshot_read_field(snapshot, has_tree, key, value));
  }
  if (!has_tree) {
    return snapshot_corrupt("no tree");
  }
  return snapshot;
}

}  // namespace volback::restic
