#include <volback/storage/s3/s3_settings.hpp>

#include <array>

#include <fmt/format.h>

#include <volback/storage/s3/part_schedule.hpp>

namespace volback::storage::s3 {

namespace {

constexpr std::array k_specs{
  k_aws_s3_bucket_name,  k_aws_s3_path,        k_aws_endpoint,         k_aws_endpoint_proto,
  k_aws_endpoint_insecure, k_aws_endpoint_ca_cert, k_aws_storage_class, k_aws_access_key_id,
  k_aws_secret_access_key, k_aws_part_size,     k_aws_region,           k_aws_s3_path_style,
  k_aws_upload_concurrency, k_aws_part_buffer_limit, k_aws_retry_attempts, k_aws_retry_max_time,
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

util::Result<void> parse_endpoint(const util::Settings& settings, S3Settings& out) {
  VOLBACK_TRY_ASSIGN(std::string endpoint, settings.get_string(k_aws_endpoint));
  VOLBACK_TRY_ASSIGN(const std::string proto, settings.get_string(k_aws_endpoint_proto));
  // offen: "https" means TLS, anything else plain HTTP.
  out.scheme = proto == "https" ? "https" : "http";
  if (const auto sep = endpoint.find("://"); sep != std::string::npos) {
    const std::string scheme = endpoint.substr(0, sep);
    if (scheme != "https" && scheme != "http") {
      return util::fail(util::Settings::invalid(k_aws_endpoint, endpoint, "the scheme must be https or http"));
    }
    out.scheme = scheme;
    endpoint = endpoint.substr(sep + 3);
  }
  while (!endpoint.empty() && endpoint.back() == '/') {
    endpoint.pop_back();
  }
  if (endpoint.empty() || endpoint.find('/') != std::string::npos) {
    return util::fail(util::Settings::invalid(k_aws_endpoint, endpoint, "must be host[:port], without a path"));
  }
  out.host = endpoint;
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
      out.ca_pem = *ca;
    } else {
      auto content = util::read_whole_file(*ca);
      if (!content) {
        return util::fail(util::Settings::invalid(k_aws_endpoint_ca_cert, *ca,
                                                  "is neither PEM text nor a readable file: " +
                                                    content.error().message()));
      }
      out.ca_file = *ca;
    }
  }
  return {};
}

util::Result<void> parse_credentials(const util::Settings& settings, S3Settings& out) {
  VOLBACK_TRY_ASSIGN(const auto key, settings.get_optional(k_aws_access_key_id));
  VOLBACK_TRY_ASSIGN(const auto secret, settings.get_optional(k_aws_secret_access_key));
  if (!key && !secret) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "AWS_S3_BUCKET_NAME is defined, but no credentials were provided "
                      "(set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
  }
  if (!key || !secret) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("{} is set but {} is not; both are needed", key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                                  key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"));
  }
  out.credentials = Credentials{*key, *secret, ""};
  return {};
}

util::Result<void> parse_tuning(const util::Settings& settings, S3Settings& out) {
  VOLBACK_TRY_ASSIGN(const auto part_mib, settings.get_int(k_aws_part_size, 0, 5120));
  if (part_mib != 0 && part_mib < 5) {
    return util::fail(util::Settings::invalid(k_aws_part_size, std::to_string(part_mib),
                                              "S3 parts are at least 5 MiB"));
  }
  out.part_size = static_cast<std::uint64_t>(part_mib == 0 ? 16 : part_mib) * k_mib;
  VOLBACK_TRY_ASSIGN(const auto concurrency, settings.get_int(k_aws_upload_concurrency, 1, 64));
  out.concurrency = static_cast<unsigned>(concurrency);
  VOLBACK_TRY_ASSIGN(const auto buffer_mib, settings.get_int(k_aws_part_buffer_limit, 5, 1024 * 1024));
  out.part_buffer_limit = static_cast<std::uint64_t>(buffer_mib) * k_mib;
  VOLBACK_TRY_ASSIGN(const auto attempts, settings.get_int(k_aws_retry_attempts, 1, 100));
  out.retry.max_attempts = static_cast<unsigned>(attempts);
  VOLBACK_TRY_ASSIGN(const auto max_time, settings.get_duration(k_aws_retry_max_time));
  if (max_time.count() < 0) {
    return util::fail(util::Settings::invalid(k_aws_retry_max_time, "", "must not be negative"));
  }
  out.retry.max_time = std::chrono::duration_cast<std::chrono::milliseconds>(max_time);
  return {};
}

}  // namespace

std::span<const util::SettingSpec> s3_setting_specs() {
  return k_specs;
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
