#include <volback/archive/manifest.hpp>
#include <volback/archive/manifest_reader.hpp>

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

// Adds `"key":"value"` or, for bytes that are not UTF-8, `"key_hex":"..."`.
void append_name_field(std::string& out, std::string_view key, std::string_view value) {
  if (valid_utf8(value)) {
    out += fmt::format(",\"{}\":", key);
    append_json_string(out, value);
  } else {
    out += fmt::format(",\"{}_hex\":\"{}\"", key, hex_of(value));
  }
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

std::string_view manifest_tail() {
  return "\n]}\n";
}

std::string encode_manifest(const ManifestInfo& info, const std::vector<ManifestEntry>& entries) {
  ManifestInfo head = info;
  head.entry_count = entries.size();
  std::string text = encode_manifest_head(head);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) {
      text += ",\n";
    }
    text += encode_entry_row(entries[i]);
  }
  text += manifest_tail();
  return text;
}

util::Result<Manifest> parse_manifest(std::string_view text) {
  Manifest manifest;
  ManifestReader reader([&manifest](ManifestEntry&& row) -> util::Result<void> {
    manifest.entries.push_back(std::move(row));
    return {};
  });
  VOLBACK_TRY(reader.feed(text));
  VOLBACK_TRY(reader.finish());
  manifest.info = reader.info();
  return manifest;
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
