#include <volback/storage/s3/s3_settings.hpp>

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <charconv>
#include <memory>

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <volback/http/url.hpp>
#include <volback/storage/s3/part_schedule.hpp>
#include <volback/util/memory_plan.hpp>
#include <volback/util/redact.hpp>

namespace volback::storage::s3 {

namespace {

constexpr std::array k_s3_specs{
  k_aws_s3_bucket_name,   k_aws_s3_path,        k_aws_endpoint,      k_aws_endpoint_proto,     k_aws_endpoint_insecure,
  k_aws_endpoint_ca_cert, k_aws_storage_class,  k_aws_access_key_id, k_aws_secret_access_key,  k_aws_iam_role_endpoint,
  k_aws_part_size,        k_aws_region,         k_aws_s3_path_style, k_aws_upload_concurrency, k_aws_part_buffer_limit,
  k_aws_retry_attempts,   k_aws_retry_max_time,
};

std::string strip_slashes(std::string text) {
  while (!text.empty() && text.front() == '/') {
    text.erase(text.begin());
  }
  while (!text.empty() && text.back() == '/') {
    text.pop_back();
  }
  return text;
}

std::string lowercase(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Why `host` is not a host name, an IPv4 address or a bracketed IPv6 address; empty
// when it is one.
std::string host_problem(std::string_view host) {
  if (host.empty()) {
    return "the host is empty";
  }
  if (host.front() == '[') {
    if (host.back() != ']') {
      return "an IPv6 address must be in brackets, e.g. [::1]:9000";
    }
    const std::string inner(host.substr(1, host.size() - 2));
    in6_addr address{};
    return ::inet_pton(AF_INET6, inner.c_str(), &address) == 1 ? std::string{} : "not a valid IPv6 address";
  }
  if (host.size() > 253) {
    return "the host name is longer than 253 characters";
  }
  bool numeric = true;
  std::size_t label = 0;
  for (const char c : host) {
    if (c == '.') {
      if (label == 0) {
        return "the host name has an empty label";
      }
      label = 0;
      continue;
    }
    if (!is_label_char(c)) {
      return c == ':' ? "an IPv6 address must be in brackets, e.g. [::1]:9000"
                      : "the host may only hold letters, digits, '-', '_' and '.'";
    }
    numeric = numeric && c >= '0' && c <= '9';
    if (++label > 63) {
      return "a label of the host name is longer than 63 characters";
    }
  }
  if (label == 0) {
    return "the host name has an empty label";
  }
  in_addr v4{};
  if (numeric && ::inet_pton(AF_INET, std::string(host).c_str(), &v4) != 1) {
    return "not a valid IPv4 address";
  }
  return {};
}

// Why `authority` is not host[:port]; empty when it is.
std::string host_port_problem(std::string_view authority) {
  std::string_view host = authority;
  std::optional<std::string_view> port;
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    if (bracket == std::string_view::npos && authority.find(':') != colon) {
      return "an IPv6 address must be in brackets, e.g. [::1]:9000";
    }
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (auto problem = host_problem(host); !problem.empty()) {
    return problem;
  }
  if (port) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), value);
    if (port->empty() || ec != std::errc{} || end != port->data() + port->size() || value < 1 || value > 65535) {
      return "the port must be a number from 1 to 65535";
    }
  }
  return {};
}

util::Result<void> parse_endpoint(const util::Settings& settings, S3Settings& out) {
  VOLBACK_TRY_ASSIGN(const std::string given, settings.get_string(k_aws_endpoint));
  VOLBACK_TRY_ASSIGN(const std::string proto, settings.get_string(k_aws_endpoint_proto));
  // offen takes "https" for TLS and anything else for plain HTTP, so "HTTPS" meant
  // http; volback takes either spelling in any case, and refuses anything else.
  out.scheme = lowercase(proto);
  if (out.scheme != "https" && out.scheme != "http") {
    return util::fail(util::Settings::invalid(k_aws_endpoint_proto, proto, "must be https or http"));
  }
  if (util::has_userinfo(given)) {
    return util::fail(
      util::Settings::invalid(k_aws_endpoint, given,
                              "must not hold user info (user:password@); the credentials go in AWS_ACCESS_KEY_ID and "
                              "AWS_SECRET_ACCESS_KEY"));
  }
  std::string endpoint = given;
  if (const auto sep = endpoint.find("://"); sep != std::string::npos) {
    const std::string scheme = lowercase(endpoint.substr(0, sep));
    if (scheme != "https" && scheme != "http") {
      return util::fail(util::Settings::invalid(k_aws_endpoint, given, "the scheme must be https or http"));
    }
    out.scheme = scheme;
    endpoint = endpoint.substr(sep + 3);
  }
  while (!endpoint.empty() && endpoint.back() == '/') {
    endpoint.pop_back();
  }
  if (endpoint.find_first_of("/?#") != std::string::npos) {
    return util::fail(util::Settings::invalid(k_aws_endpoint, given, "must be host[:port], without a path"));
  }
  if (const auto problem = host_port_problem(endpoint); !problem.empty()) {
    return util::fail(util::Settings::invalid(k_aws_endpoint, given, "must be host[:port]: " + problem));
  }
  out.host = endpoint;
  return {};
}

// Why `pem` does not hold at least one PEM certificate that OpenSSL can parse; empty
// when it holds one or more.
std::string pem_problem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) {
    return "out of memory";
  }
  ERR_clear_error();
  int count = 0;
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_free(certificate);
    ++count;
  }
  // The loop ends at the end of the input (no further BEGIN line) or at a block that
  // does not parse.
  const unsigned long error = ERR_peek_last_error();
  ERR_clear_error();
  const bool at_end = ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE;
  if (!at_end) {
    return count == 0 ? std::string("does not parse as a PEM certificate")
                      : fmt::format("does not parse after certificate {}", count);
  }
  if (count == 0) {
    return "holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
  }
  return {};
}

util::Result<void> parse_tls(const util::Settings& settings, S3Settings& out) {
  VOLBACK_TRY_ASSIGN(const bool insecure, settings.get_bool(k_aws_endpoint_insecure));
  if (insecure && out.scheme != "https") {
    return util::fail(util::Settings::invalid(k_aws_endpoint_insecure, "true",
                                              "only makes sense with https; the endpoint uses plain http"));
  }
  out.verify_tls = !insecure;
  VOLBACK_TRY_ASSIGN(const auto ca, settings.get_optional(k_aws_endpoint_ca_cert));
  if (ca && !insecure) {
    if (ca->find("-----BEGIN") != std::string::npos) {
      if (const auto problem = pem_problem(*ca); !problem.empty()) {
        return util::fail(util::Settings::invalid(k_aws_endpoint_ca_cert, "<PEM text>", "the PEM text " + problem));
      }
      out.ca_pem = *ca;
    } else {
      auto content = util::read_whole_file(*ca);
      if (!content) {
        return util::fail(util::Settings::invalid(
          k_aws_endpoint_ca_cert, *ca, "is neither PEM text nor a readable file: " + content.error().message()));
      }
      if (const auto problem = pem_problem(*content); !problem.empty()) {
        return util::fail(util::Settings::invalid(k_aws_endpoint_ca_cert, *ca, "the file " + problem));
      }
      out.ca_file = *ca;
    }
  }
  return {};
}

// "http(s)://host[:port]" from AWS_IAM_ROLE_ENDPOINT, checked as AWS_ENDPOINT's host is.
util::Result<std::string> parse_iam_role_endpoint(const std::string& given) {
  auto url = http::parse_url(given);
  if (!url) {
    return util::fail(util::Settings::invalid(k_aws_iam_role_endpoint, given, url.error().message()));
  }
  if (!url->path.empty()) {
    return util::fail(
      util::Settings::invalid(k_aws_iam_role_endpoint, given, "must be http(s)://host[:port], without a path"));
  }
  if (const auto problem = host_port_problem(url->authority); !problem.empty()) {
    return util::fail(
      util::Settings::invalid(k_aws_iam_role_endpoint, given, "must be http(s)://host[:port]: " + problem));
  }
  return url->origin();
}

util::Result<void> parse_credentials(const util::Settings& settings, S3Settings& out) {
  VOLBACK_TRY_ASSIGN(const auto key, settings.get_optional(k_aws_access_key_id));
  VOLBACK_TRY_ASSIGN(const auto secret, settings.get_optional(k_aws_secret_access_key));
  VOLBACK_TRY_ASSIGN(const auto role_endpoint, settings.get_optional(k_aws_iam_role_endpoint));
  if (role_endpoint) {
    // Checked even when the static keys win, so that a typo shows at check-config.
    VOLBACK_TRY_ASSIGN(auto endpoint, parse_iam_role_endpoint(*role_endpoint));
    if (!key && !secret) {
      out.iam_role_endpoint = std::move(endpoint);
      return {};
    }
  }
  if (!key && !secret) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "AWS_S3_BUCKET_NAME is defined, but no credentials were provided "
                      "(set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_IAM_ROLE_ENDPOINT)");
  }
  if (!key || !secret) {
    return util::fail(
      util::ErrorKind::invalid_argument,
      fmt::format("{} is set but {} is not; both are needed", key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                  key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"));
  }
  out.credentials = Credentials{*key, *secret, ""};
  return {};
}

// A MiB count from `spec`, or `planned` bytes when it is unset.
util::Result<std::uint64_t> planned_mib(const util::Settings& settings, const util::SettingSpec& spec, std::int64_t min,
                                        std::int64_t max, std::uint64_t planned) {
  VOLBACK_TRY_ASSIGN(const auto raw, settings.get_optional(spec));
  if (!raw) {
    return planned;
  }
  VOLBACK_TRY_ASSIGN(const auto value, settings.get_int(spec, min, max));
  return static_cast<std::uint64_t>(value) * k_mib;
}

util::Result<void> parse_tuning(const util::Settings& settings, S3Settings& out) {
  const util::MemoryPlan& plan = util::memory_plan();
  VOLBACK_TRY_ASSIGN(out.part_size, planned_mib(settings, k_aws_part_size, 0, 5120, plan.part_size_bytes));
  if (out.part_size != 0 && out.part_size < 5 * k_mib) {
    return util::fail(
      util::Settings::invalid(k_aws_part_size, std::to_string(out.part_size / k_mib), "S3 parts are at least 5 MiB"));
  }
  if (out.part_size == 0) {
    out.part_size = plan.part_size_bytes;
  }
  VOLBACK_TRY_ASSIGN(const auto concurrency, settings.get_int(k_aws_upload_concurrency, 1, 64));
  out.concurrency = static_cast<unsigned>(concurrency);
  VOLBACK_TRY_ASSIGN(out.part_buffer_limit,
                     planned_mib(settings, k_aws_part_buffer_limit, 5, 1024 * 1024, plan.part_buffer_bytes));
  VOLBACK_TRY_ASSIGN(out.retry, parse_retry_policy(settings, k_aws_retry_attempts, k_aws_retry_max_time));
  return {};
}

}  // namespace

std::span<const util::SettingSpec> s3_setting_specs() {
  return k_s3_specs;
}

util::Result<std::optional<S3Settings>> parse_s3_settings(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto bucket, settings.get_optional(k_aws_s3_bucket_name));
  if (!bucket) {
    return std::optional<S3Settings>();
  }
  S3Settings out;
  out.bucket = *bucket;
  VOLBACK_TRY_ASSIGN(std::string path, settings.get_string(k_aws_s3_path));
  out.path = strip_slashes(std::move(path));
  VOLBACK_TRY(parse_endpoint(settings, out));
  VOLBACK_TRY(parse_tls(settings, out));
  VOLBACK_TRY_ASSIGN(out.storage_class, settings.get_string(k_aws_storage_class));
  VOLBACK_TRY(parse_credentials(settings, out));
  VOLBACK_TRY_ASSIGN(out.region, settings.get_optional(k_aws_region));
  const std::array<std::string_view, 3> styles{"auto", "true", "false"};
  VOLBACK_TRY_ASSIGN(const std::string style, settings.get_choice(k_aws_s3_path_style, styles));
  const bool aws = out.host == "amazonaws.com" || out.host.ends_with(".amazonaws.com");
  const bool path_style = style == "true" || (style == "auto" && !aws);
  out.addressing = path_style ? AddressingStyle::path : AddressingStyle::virtual_hosted;
  VOLBACK_TRY(parse_tuning(settings, out));
  return std::optional<S3Settings>(std::move(out));
}

}  // namespace volback::storage::s3
