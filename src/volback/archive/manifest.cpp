#include <volback/archive/manifest.hpp>

#include <sys/stat.h>

#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace volback::archive {
namespace {

// Whether `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) {
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    default:
      if (c < 0x20) {
        out += fmt::format("\\u{:04x}", c);
      } else {
        out.push_back(ch);
      }
    }
  }
  out.push_back('"');
}

std::string hex_of(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    out += fmt::format("{:02x}", static_cast<unsigned char>(ch));
  }
  return out;
}

util::Result<std::string> unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return util::fail(util::ErrorKind::corrupt, "manifest: odd-length hex name");
  }
  std::string out;
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

// Adds `"key":"value"` or, for bytes that are not UTF-8, `"key_hex":"..."`.
void append_name_field(std::string& out, std::string_view key, std::string_view value) {
  if (valid_utf8(value)) {
    out += fmt::format(",\"{}\":", key);
    append_json_string(out, value);
  } else {
    out += fmt::format(",\"{}_hex\":\"{}\"", key, hex_of(value));
  }
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

}  // namespace

std::string encode_entry_row(const ManifestEntry& entry) {
  std::string out;
  out.reserve(160 + entry.path.size() + entry.link.size());
  out += "{\"type\":";
  append_json_string(out, entry.type);
  append_name_field(out, "path", entry.path);
  out += fmt::format(",\"size\":{},\"mode\":{},\"uid\":{},\"gid\":{},\"mtime\":{},\"mtime_nsec\":{}", entry.size,
                     entry.mode, entry.uid, entry.gid, entry.mtime, entry.mtime_nsec);
  if (!entry.link.empty()) {
    append_name_field(out, "link", entry.link);
  }
  if (!entry.sha256.empty()) {
    out += fmt::format(",\"sha256\":\"{}\"", entry.sha256);
  }
  out.push_back('}');
  return out;
}

std::string encode_manifest_head(const ManifestInfo& info) {
  nlohmann::json head;
  head["manifest_version"] = info.format;
  head["volback_version"] = info.volback_version;
  head["started"] = info.started;
  head["finished"] = info.finished;
  head["compression"] = info.compression;
  head["stopped_containers"] = info.stopped_containers;
  head["sources"] = info.sources;
  head["entry_count"] = info.entry_count;
  auto volumes = nlohmann::json::object();
  for (const auto& [name, totals] : info.volumes) {
    volumes[name] = {{"files", totals.files}, {"bytes", totals.bytes}, {"entries", totals.entries}};
  }
  head["volumes"] = volumes;
  // dump() ends with '}'; the entries array goes in its place. Names are replaced
  // rather than rejected when not UTF-8 (volume names in practice are).
  std::string text = head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.pop_back();
  text += ",\"entries\":[\n";
  return text;
}

std::string_view manifest_tail() { return "\n]}\n"; }

namespace {

util::Result<ManifestEntry> entry_from_json(const nlohmann::json& row) {
  ManifestEntry entry;
  entry.type = row.at("type").get<std::string>();
  VOLBACK_TRY_ASSIGN(entry.path, name_field(row, "path"));
  entry.size = row.value("size", std::uint64_t{0});
  entry.mode = row.value("mode", std::uint32_t{0});
  entry.uid = row.value("uid", std::int64_t{0});
  entry.gid = row.value("gid", std::int64_t{0});
  entry.mtime = row.value("mtime", std::int64_t{0});
  entry.mtime_nsec = row.value("mtime_nsec", std::int32_t{0});
  VOLBACK_TRY_ASSIGN(entry.link, name_field(row, "link"));
  entry.sha256 = row.value("sha256", "");
  return entry;
}

}  // namespace

util::Result<Manifest> parse_manifest(std::string_view text) {
  // The writer puts "entries" last and each row on a line of its own: parsed row by row,
  // a manifest never exists as one JSON tree (about 1 KiB per entry). Any other layout
  // is parsed whole.
  constexpr std::string_view k_entries = ",\"entries\":[\n";
  const auto split = text.find(k_entries);
  const auto tail = manifest_tail();
  if (split != std::string_view::npos && text.ends_with(tail) && text.find(k_entries, split + 1) == std::string_view::npos) {
    try {
      auto head = nlohmann::json::parse(std::string(text.substr(0, split)) + "}");
      head["entries"] = nlohmann::json::array();
      VOLBACK_TRY_ASSIGN(auto manifest, parse_manifest(head.dump()));
      std::string_view rows = text.substr(split + k_entries.size());
      rows.remove_suffix(tail.size());
      while (!rows.empty()) {
        const auto end = rows.find('\n');
        std::string_view line = rows.substr(0, end);
        rows.remove_prefix(end == std::string_view::npos ? rows.size() : end + 1);
        if (line.ends_with(',')) {
          line.remove_suffix(1);
        }
        if (line.empty()) {
          continue;
        }
        VOLBACK_TRY_ASSIGN(auto entry, entry_from_json(nlohmann::json::parse(line)));
        manifest.entries.push_back(std::move(entry));
      }
      return manifest;
    } catch (const nlohmann::json::exception& e) {
      return util::fail(util::ErrorKind::corrupt, fmt::format("manifest is unreadable: {}", e.what()));
    }
  }
  try {
    const auto doc = nlohmann::json::parse(text);
    Manifest manifest;
    auto& info = manifest.info;
    info.format = doc.at("manifest_version").get<int>();
    if (info.format > k_manifest_format_version) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("manifest format {} is newer than this volback reads ({})", info.format,
                                    k_manifest_format_version));
    }
    info.volback_version = doc.value("volback_version", "");
    info.started = doc.value("started", "");
    info.finished = doc.value("finished", "");
    info.compression = doc.value("compression", "");
    info.sources = doc.value("sources", "");
    info.entry_count = doc.value("entry_count", std::uint64_t{0});
    if (const auto it = doc.find("stopped_containers"); it != doc.end()) {
      info.stopped_containers = it->get<std::vector<std::string>>();
    }
    if (const auto it = doc.find("volumes"); it != doc.end()) {
      for (const auto& [name, totals] : it->items()) {
        info.volumes[name] = VolumeTotals{totals.value("files", std::uint64_t{0}),
                                          totals.value("bytes", std::uint64_t{0}),
                                          totals.value("entries", std::uint64_t{0})};
      }
    }
    const auto& rows = doc.at("entries");
    manifest.entries.reserve(rows.size());
    for (const auto& row : rows) {
      VOLBACK_TRY_ASSIGN(auto entry, entry_from_json(row));
      manifest.entries.push_back(std::move(entry));
    }
    return manifest;
  } catch (const nlohmann::json::exception& e) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("manifest is unreadable: {}", e.what()));
  }
}

std::optional<std::string> volume_of(std::string_view path, std::string_view sources) {
  std::string_view rest = path;
  if (!sources.empty()) {
    if (rest.substr(0, sources.size()) != sources || rest.size() <= sources.size() || rest[sources.size()] != '/') {
      return std::nullopt;
    }
    rest.remove_prefix(sources.size() + 1);
  }
  if (rest.empty()) {
    return std::nullopt;
  }
  return std::string(rest.substr(0, rest.find('/')));
}

std::string_view type_name_from_mode(std::uint32_t mode) {
  switch (mode & S_IFMT) {
  case S_IFREG: return "file";
  case S_IFDIR: return "dir";
  case S_IFLNK: return "symlink";
  case S_IFIFO: return "fifo";
  case S_IFCHR: return "char";
  case S_IFBLK: return "block";
  default: return "other";
  }
}

std::string format_utc(std::int64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

}  // namespace volback::archive
