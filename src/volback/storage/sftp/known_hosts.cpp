#include <volback/storage/sftp/known_hosts.hpp>

#include <algorithm>

#include <volback/storage/digest.hpp>

namespace volback::storage::sftp {

namespace {

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < line.size()) {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) {
      ++at;
    }
    if (at >= line.size()) {
      break;
    }
    const auto end = line.find_first_of(" \t", at);
    out.push_back(line.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    at = end == std::string_view::npos ? line.size() : end;
  }
  return out;
}

// '*' and '?' glob matching, case-insensitive (host names).
bool glob(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t mark = 0;
  const auto same = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || same(pattern[p], text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

bool hashed_matches(std::string_view pattern, std::string_view name) {
  // |1|salt|hash
  const auto bar = pattern.find('|', 3);
  if (!pattern.starts_with("|1|") || bar == std::string_view::npos) {
    return false;
  }
  const auto salt = from_base64(pattern.substr(3, bar - 3));
  const auto hash = from_base64(pattern.substr(bar + 1));
  if (!salt || !hash) {
    return false;
  }
  const auto mac = hmac_sha1(*salt, {reinterpret_cast<const unsigned char*>(name.data()), name.size()});
  return hash->size() == mac.size() && std::equal(mac.begin(), mac.end(), hash->begin());
}

}  // namespace

std::string known_hosts_name(std::string_view host, unsigned port) {
  if (port == 22) {
    return std::string(host);
  }
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

bool host_matches(std::string_view patterns, std::string_view name) {
  if (patterns.starts_with("|1|")) {
    return hashed_matches(patterns, name);
  }
  bool matched = false;
  std::size_t at = 0;
  while (at <= patterns.size()) {
    const auto comma = patterns.find(',', at);
    std::string_view pattern =
      patterns.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    const bool negated = pattern.starts_with('!');
    if (negated) {
      pattern.remove_prefix(1);
    }
    if (!pattern.empty() && glob(pattern, name)) {
      if (negated) {
        return false;
      }
      matched = true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    at = comma + 1;
  }
  return matched;
}

std::vector<KnownKey> keys_for_host(std::string_view text, std::string_view name) {
  std::vector<KnownKey> out;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++number;
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    auto fields = fields_of(line);
    if (fields.empty() || fields[0].starts_with('#')) {
      continue;
    }
    bool revoked = false;
    if (fields[0].starts_with('@')) {
      if (fields[0] != "@revoked") {
        continue;  // @cert-authority
      }
      revoked = true;
      fields.erase(fields.begin());
    }
    if (fields.size() < 3 || !host_matches(fields[0], name)) {
      continue;
    }
    auto blob = from_base64(fields[2]);
    if (!blob || key_type_of(*blob) != fields[1]) {
      continue;
    }
    out.push_back(KnownKey{std::string(fields[1]), std::move(*blob), number, revoked});
  }
  return out;
}

HostKeyCheck check_host_key(std::span<const KnownKey> known, std::string_view type,
                            std::span<const unsigned char> blob) {
  const auto same_blob = [&](const KnownKey& k) {
    return std::equal(k.blob.begin(), k.blob.end(), blob.begin(), blob.end());
  };
  for (const auto& k : known) {
    if (k.revoked && same_blob(k)) {
      return {Verdict::revoked, &k};
    }
  }
  const KnownKey* first = nullptr;
  const KnownKey* same_type = nullptr;
  for (const auto& k : known) {
    if (k.revoked) {
      continue;
    }
    if (k.type == type && same_blob(k)) {
      return {Verdict::trusted, &k};
    }
    first = first != nullptr ? first : &k;
    if (k.type == type && same_type == nullptr) {
      same_type = &k;
    }
  }
  if (first == nullptr) {
    return {Verdict::unknown, nullptr};
  }
  return {Verdict::changed, same_type != nullptr ? same_type : first};
}

std::string fingerprint(std::span<const unsigned char> blob) {
  std::string b64 = to_base64(sha256(std::as_bytes(blob)));
  while (!b64.empty() && b64.back() == '=') {
    b64.pop_back();
  }
  return "SHA256:" + b64;
}

std::string key_type_of(std::span<const unsigned char> blob) {
  if (blob.size() < 4) {
    return {};
  }
  const std::size_t length =
    (std::size_t{blob[0]} << 24) | (std::size_t{blob[1]} << 16) | (std::size_t{blob[2]} << 8) | std::size_t{blob[3]};
  if (length == 0 || length > blob.size() - 4 || length > 64) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(blob.data() + 4), length);
}

std::string known_hosts_line(std::string_view name, std::string_view type, std::span<const unsigned char> blob) {
  return std::string(name) + " " + std::string(type) + " " + to_base64(blob) + "\n";
}

}  // namespace volback::storage::sftp
