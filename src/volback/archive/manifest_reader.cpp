#include <volback/archive/manifest_reader.hpp>

#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace volback::archive {
namespace {

util::Result<std::string> unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return util::fail(util::ErrorKind::corrupt, "manifest: odd-length hex name");
  }
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    for (std::size_t k = 0; k < 2; ++k) {
      const char h = hex[i + k];
      value <<= 4;
      if (h >= '0' && h <= '9') {
        value |= static_cast<unsigned>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        value |= static_cast<unsigned>(h - 'a' + 10);
      } else {
        return util::fail(util::ErrorKind::corrupt, "manifest: bad hex name");
      }
    }
    out.push_back(static_cast<char>(value));
  }
  return out;
}

util::Result<std::string> name_field(const nlohmann::json& row, const std::string& key) {
  if (const auto it = row.find(key); it != row.end()) {
    return it->get<std::string>();
  }
  if (const auto it = row.find(key + "_hex"); it != row.end()) {
    return unhex(it->get<std::string>());
  }
  return std::string();
}

// The integer `key` of `object` when it fits T; `fallback` when absent. A manifest comes
// from the archive, so anything else (a float, a string, a number out of T's range) is
// corrupt rather than converted.
template <typename T>
util::Result<T> integer_field(const nlohmann::json& object, const char* key, T fallback) {
  const auto it = object.find(key);
  if (it == object.end()) {
    return fallback;
  }
  if (it->is_number_unsigned()) {
    const auto value = it->get<std::uint64_t>();
    if (std::in_range<T>(value)) {
      return static_cast<T>(value);
    }
  } else if (it->is_number_integer()) {
    const auto value = it->get<std::int64_t>();
    if (std::in_range<T>(value)) {
      return static_cast<T>(value);
    }
  }
  return util::fail(util::ErrorKind::corrupt, fmt::format("manifest: {} is not an integer in range", key));
}

util::Result<ManifestEntry> entry_from_json(const nlohmann::json& row) {
  if (!row.is_object()) {
    return util::fail(util::ErrorKind::corrupt, "manifest: a row is not an object");
  }
  ManifestEntry entry;
  entry.type = row.at("type").get<std::string>();
  VOLBACK_TRY_ASSIGN(entry.path, name_field(row, "path"));
  VOLBACK_TRY_ASSIGN(entry.size, integer_field(row, "size", std::uint64_t{0}));
  VOLBACK_TRY_ASSIGN(entry.mode, integer_field(row, "mode", std::uint32_t{0}));
  VOLBACK_TRY_ASSIGN(entry.uid, integer_field(row, "uid", std::int64_t{0}));
  VOLBACK_TRY_ASSIGN(entry.gid, integer_field(row, "gid", std::int64_t{0}));
  VOLBACK_TRY_ASSIGN(entry.mtime, integer_field(row, "mtime", std::int64_t{0}));
  VOLBACK_TRY_ASSIGN(entry.mtime_nsec, integer_field(row, "mtime_nsec", std::int32_t{0}));
  VOLBACK_TRY_ASSIGN(entry.link, name_field(row, "link"));
  entry.sha256 = row.value("sha256", "");
  return entry;
}

util::Result<ManifestInfo> info_from_json(const nlohmann::json& doc) {
  if (!doc.is_object()) {
    return util::fail(util::ErrorKind::corrupt, "manifest: the document is not an object");
  }
  ManifestInfo info;
  if (!doc.contains("manifest_version")) {
    return util::fail(util::ErrorKind::corrupt, "manifest: manifest_version is missing");
  }
  VOLBACK_TRY_ASSIGN(info.format, integer_field(doc, "manifest_version", 0));
  if (info.format > k_manifest_format_version) {
    return util::fail(
      util::ErrorKind::invalid_argument,
      fmt::format("manifest format {} is newer than this volback reads ({})", info.format, k_manifest_format_version));
  }
  info.volback_version = doc.value("volback_version", "");
  info.started = doc.value("started", "");
  info.finished = doc.value("finished", "");
  info.compression = doc.value("compression", "");
  info.sources = doc.value("sources", "");
  VOLBACK_TRY_ASSIGN(info.entry_count, integer_field(doc, "entry_count", std::uint64_t{0}));
  if (const auto it = doc.find("stopped_containers"); it != doc.end()) {
    info.stopped_containers = it->get<std::vector<std::string>>();
  }
  if (const auto it = doc.find("volumes"); it != doc.end()) {
    for (const auto& [name, totals] : it->items()) {
      if (!totals.is_object()) {
        return util::fail(util::ErrorKind::corrupt, "manifest: a volume's totals are not an object");
      }
      VolumeTotals counted;
      VOLBACK_TRY_ASSIGN(counted.files, integer_field(totals, "files", std::uint64_t{0}));
      VOLBACK_TRY_ASSIGN(counted.bytes, integer_field(totals, "bytes", std::uint64_t{0}));
      VOLBACK_TRY_ASSIGN(counted.entries, integer_field(totals, "entries", std::uint64_t{0}));
      info.volumes[name] = counted;
    }
  }
  return info;
}

// Runs a JSON step, turning nlohmann's exceptions (syntax, missing or mistyped fields)
// into corrupt errors.
template <typename F>
auto parse_json(F&& step) -> decltype(step()) {
  try {
    return step();
  } catch (const nlohmann::json::exception& e) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("manifest is unreadable: {}", e.what()));
  }
}

constexpr std::string_view k_entries_open = ",\"entries\":[";
constexpr std::string_view k_close = "]}";

}  // namespace

util::Result<ManifestEntry> parse_entry_row(std::string_view row) {
  return parse_json([&]() { return entry_from_json(nlohmann::json::parse(row)); });
}

ManifestReader::ManifestReader(RowHandler on_row)
  : m_on_row(std::move(on_row)), m_lines(k_max_manifest_line, "manifest") {}

util::Result<void> ManifestReader::feed(std::string_view bytes) {
  return m_lines.feed(bytes, [this](std::string_view line) { return on_line(line); });
}

util::Result<void> ManifestReader::finish() {
  VOLBACK_TRY(m_lines.finish([this](std::string_view line) { return on_line(line); }));
  if (m_state != State::tail_seen) {
    return util::fail(util::ErrorKind::corrupt, "manifest: the document ends early");
  }
  if (m_rows != m_info.entry_count) {
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("manifest: it has {} rows but says entry_count {}", m_rows, m_info.entry_count));
  }
  return {};
}

util::Result<void> ManifestReader::on_line(std::string_view line) {
  switch (m_state) {
  case State::head: return on_head(line);
  case State::first_row:
    if (line.empty()) {
      m_state = State::empty_rows;
      return {};
    }
    if (line == k_close) {
      m_state = State::tail_seen;
      return {};
    }
    return on_row(line);
  case State::rows: return on_row(line);
  case State::empty_rows:
  case State::last_row_seen:
    if (line == k_close) {
      m_state = State::tail_seen;
      return {};
    }
    return util::fail(util::ErrorKind::corrupt, fmt::format("manifest: line {} follows the last row", m_lines.lines()));
  case State::tail_seen:
    return util::fail(util::ErrorKind::corrupt, "manifest: there is data after the end of the document");
  }
  return {};
}

util::Result<void> ManifestReader::on_head(std::string_view line) {
  if (!line.ends_with(k_entries_open)) {
    return util::fail(util::ErrorKind::corrupt, "manifest: the first line is not a volback manifest head");
  }
  std::string head(line.substr(0, line.size() - k_entries_open.size()));
  head += '}';
  VOLBACK_TRY_ASSIGN(m_info, parse_json([&]() { return info_from_json(nlohmann::json::parse(head)); }));
  m_state = State::first_row;
  return {};
}

util::Result<void> ManifestReader::on_row(std::string_view line) {
  const bool more = line.ends_with(',');
  if (more) {
    line.remove_suffix(1);
  }
  VOLBACK_TRY_ASSIGN(auto entry, parse_entry_row(line));
  ++m_rows;
  m_state = more ? State::rows : State::last_row_seen;
  return m_on_row(std::move(entry));
}

}  // namespace volback::archive
