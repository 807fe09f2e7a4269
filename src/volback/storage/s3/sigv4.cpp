#include <volback/storage/s3/sigv4.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>

#include <fmt/format.h>

#include <volback/http/transport.hpp>
#include <volback/storage/digest.hpp>

namespace volback::storage::s3 {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Trims and collapses runs of spaces, as SigV4's canonical header values require.
std::string canonical_value(std::string_view value) {
  std::string out;
  bool space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) {
      out += ' ';
    }
    space = false;
    out += c;
  }
  return out;
}

struct CanonicalHeaders {
  std::string block;         // "name:value\n" lines
  std::string signed_names;  // "host;x-amz-date"
};

CanonicalHeaders canonical_headers(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> sorted;
  sorted.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    sorted.emplace_back(lower(name), canonical_value(value));
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i].first == sorted[i - 1].first) {
      out.block.pop_back();  // the '\n' of the previous line: repeated names join with ','
      out.block += "," + sorted[i].second + "\n";
      continue;
    }
    out.block += sorted[i].first + ":" + sorted[i].second + "\n";
    out.signed_names += (out.signed_names.empty() ? "" : ";") + sorted[i].first;
  }
  return out;
}

std::vector<unsigned char> as_key(std::string_view text) {
  return {text.begin(), text.end()};
}

}  // namespace

std::string amz_date(util::TimePoint time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(http::url_encode(name, http::Slash::encode), http::url_encode(value, http::Slash::encode));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    out += (out.empty() ? "" : "&") + name + "=" + value;
  }
  return out;
}

std::string canonical_request(const SigningInput& input) {
  const auto headers = canonical_headers(input.headers);
  return fmt::format("{}\n{}\n{}\n{}\n{}\n{}", input.method, input.canonical_path.empty() ? "/" : input.canonical_path,
                     canonical_query(input.query), headers.block, headers.signed_names, input.payload_hash);
}

std::string string_to_sign(const SigningInput& input, std::string_view amz_date_text, std::string_view region,
                           std::string_view service) {
  const std::string_view day = amz_date_text.substr(0, 8);
  return fmt::format("AWS4-HMAC-SHA256\n{}\n{}/{}/{}/aws4_request\n{}", amz_date_text, day, region, service,
                     sha256_hex(canonical_request(input)));
}

std::string authorization(const SigningInput& input, const Credentials& credentials, std::string_view amz_date_text,
                          std::string_view region, std::string_view service) {
  const std::string_view day = amz_date_text.substr(0, 8);
  const auto k_date = hmac_sha256(as_key("AWS4" + credentials.secret_key), day);
  const auto k_region = hmac_sha256(k_date, region);
  const auto k_service = hmac_sha256(k_region, service);
  const auto k_signing = hmac_sha256(k_service, "aws4_request");
  const auto signature = hmac_sha256(k_signing, string_to_sign(input, amz_date_text, region, service));
  return fmt::format("AWS4-HMAC-SHA256 Credential={}/{}/{}/{}/aws4_request, SignedHeaders={}, Signature={}",
                     credentials.access_key, day, region, service, canonical_headers(input.headers).signed_names,
                     to_hex(signature));
}

}  // namespace volback::storage::s3
