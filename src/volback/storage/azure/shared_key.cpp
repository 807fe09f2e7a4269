#include <volback/storage/azure/shared_key.hpp>

#include <algorithm>
#include <cctype>
#include <map>

#include <volback/storage/digest.hpp>

namespace volback::storage::azure {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Leading and trailing white space removed, inner runs folded to one space (outside
// quoted strings, which Azure's headers do not use).
std::string fold(std::string_view value) {
  std::string out;
  bool space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

std::string header(const SharedKeyRequest& request, std::string_view name) {
  for (const auto& [n, v] : request.headers) {
    if (lower(n) == name) {
      return v;
    }
  }
  return {};
}

}  // namespace

std::string canonicalized_resource(std::string_view account, const SharedKeyRequest& request) {
  std::string out = "/";
  out += account;
  out += request.path.empty() ? std::string("/") : request.path;
  std::map<std::string, std::vector<std::string>> params;
  for (const auto& [name, value] : request.query) {
    params[lower(name)].push_back(value);
  }
  for (auto& [name, values] : params) {
    std::sort(values.begin(), values.end());
    out += '\n';
    out += name;
    out += ':';
    for (std::size_t i = 0; i < values.size(); ++i) {
      out += (i == 0 ? "" : ",") + values[i];
    }
  }
  return out;
}

std::string string_to_sign(std::string_view account, const SharedKeyRequest& request) {
  std::string out = request.method + "\n";
  std::string length = header(request, "content-length");
  if (length == "0") {
    length.clear();
  }
  for (const std::string& value :
       {header(request, "content-encoding"), header(request, "content-language"), length,
        header(request, "content-md5"), header(request, "content-type"), header(request, "date"),
        header(request, "if-modified-since"), header(request, "if-match"), header(request, "if-none-match"),
        header(request, "if-unmodified-since"), header(request, "range")}) {
    out += value;
    out += '\n';
  }
  std::map<std::string, std::string> ms;
  for (const auto& [name, value] : request.headers) {
    const std::string n = lower(name);
    if (n.starts_with("x-ms-")) {
      ms[n] = fold(value);
    }
  }
  for (const auto& [name, value] : ms) {
    out += name + ":" + value + "\n";
  }
  out += canonicalized_resource(account, request);
  return out;
}

std::string shared_key_signature(std::span<const unsigned char> key, std::string_view text) {
  return to_base64(hmac_sha256(key, text));
}

std::string authorization(std::string_view account, std::span<const unsigned char> key,
                          const SharedKeyRequest& request) {
  return "SharedKey " + std::string(account) + ":" + shared_key_signature(key, string_to_sign(account, request));
}

}  // namespace volback::storage::azure
