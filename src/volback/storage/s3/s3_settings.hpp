#pragma once
// The S3 backend's settings: offen's AWS_* variables (each also takes NAME_FILE) and
// volback's additions (region, addressing style, concurrency, part-buffer limit, retry
// budget). The backend is active when AWS_S3_BUCKET_NAME is set.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <volback/storage/retry_policy.hpp>
#include <volback/storage/s3/sigv4.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage::s3 {

inline constexpr util::SettingSpec k_aws_s3_bucket_name{"AWS_S3_BUCKET_NAME", "", util::Secret::no,
                                                        "Bucket of the S3 backend; setting it enables the backend."};
inline constexpr util::SettingSpec k_aws_s3_path{"AWS_S3_PATH", "", util::Secret::no,
                                                 "Key prefix (a \"directory\") for the backups in the bucket."};
inline constexpr util::SettingSpec k_aws_endpoint{
  "AWS_ENDPOINT", "s3.amazonaws.com", util::Secret::user_info,
  "S3 endpoint, host[:port]; may carry a scheme (https://fsn1.your-objectstorage.com), which then wins over "
  "AWS_ENDPOINT_PROTO. No user info: the credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."};
inline constexpr util::SettingSpec k_aws_endpoint_proto{"AWS_ENDPOINT_PROTO", "https", util::Secret::no,
                                                        "https, or http for plain HTTP (any case)."};
inline constexpr util::SettingSpec k_aws_endpoint_insecure{"AWS_ENDPOINT_INSECURE", "false", util::Secret::no,
                                                           "Skip TLS certificate verification (https only)."};
inline constexpr util::SettingSpec k_aws_endpoint_ca_cert{
  "AWS_ENDPOINT_CA_CERT", "", util::Secret::no,
  "CA certificate(s) to trust for the endpoint, as a PEM file path or the PEM text itself; at least one "
  "certificate, checked when the configuration is loaded."};
inline constexpr util::SettingSpec k_aws_storage_class{"AWS_STORAGE_CLASS", "", util::Secret::no,
                                                       "Storage class of uploaded objects (e.g. STANDARD_IA)."};
inline constexpr util::SettingSpec k_aws_access_key_id{"AWS_ACCESS_KEY_ID", "", util::Secret::yes,
                                                       "Access key of the S3 credentials."};
inline constexpr util::SettingSpec k_aws_secret_access_key{"AWS_SECRET_ACCESS_KEY", "", util::Secret::yes,
                                                           "Secret key of the S3 credentials."};
inline constexpr util::SettingSpec k_aws_iam_role_endpoint{
  "AWS_IAM_ROLE_ENDPOINT", "", util::Secret::user_info,
  "Instance metadata service to take the S3 credentials of the instance's IAM role from, as http(s)://host[:port] "
  "(http://169.254.169.254 on EC2); used when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set. See "
  "docs/s3.md."};
inline constexpr util::SettingSpec k_aws_part_size{
  "AWS_PART_SIZE", "", util::Secret::no,
  "Size in MiB of the first multipart-upload parts (5..5120; unset or 0: the memory plan's, 5); "
  "later parts grow, see docs/s3.md."};
inline constexpr util::SettingSpec k_aws_region{
  "AWS_REGION", "", util::Secret::no,
  "Region to sign for; default: the bucket's own region, as the server names it, else us-east-1."};
inline constexpr util::SettingSpec k_aws_s3_path_style{
  "AWS_S3_PATH_STYLE", "auto", util::Secret::no,
  "auto, true or false: path-style URLs (auto: path style for custom endpoints, virtual-hosted for AWS)."};
inline constexpr util::SettingSpec k_aws_upload_concurrency{"AWS_UPLOAD_CONCURRENCY", "4", util::Secret::no,
                                                            "Parts uploaded at once (1..64)."};
inline constexpr util::SettingSpec k_aws_part_buffer_limit{
  "AWS_PART_BUFFER_LIMIT", "", util::Secret::no,
  "MiB of memory at most held in part buffers (at least 5; unset: the memory plan's, 15 without a memory limit on 2 "
  "cores); fewer parts are in flight as parts grow, and a part larger than this is staged in VOLBACK_SPOOL_DIR."};
inline constexpr util::SettingSpec k_aws_retry_attempts{
  "AWS_RETRY_ATTEMPTS", "6", util::Secret::no,
  "Attempts per S3 request (each part, each listing page) for transient errors; 1 disables retries."};
inline constexpr util::SettingSpec k_aws_retry_max_time{
  "AWS_RETRY_MAX_TIME", "5m", util::Secret::no,
  "Go duration: a request is not retried once this much time has passed since its first attempt."};

// The settings above, for print-config and --help. Static storage.
std::span<const util::SettingSpec> s3_setting_specs();

enum class AddressingStyle { path, virtual_hosted };

struct S3Settings {
  std::string bucket;
  std::string path;    // without leading or trailing '/'; may be empty
  std::string scheme;  // "https" or "http"
  std::string host;    // host[:port] of the endpoint
  bool verify_tls = true;
  std::optional<std::string> ca_file;  // a PEM file
  std::optional<std::string> ca_pem;   // PEM text
  std::string storage_class;
  Credentials credentials;  // the static keys; empty when iam_role_endpoint is used
  // "http(s)://host[:port]" of the instance metadata service the credentials come from
  // (imds_credentials.hpp); set only when no static keys are given.
  std::optional<std::string> iam_role_endpoint;
  std::optional<std::string> region;  // nullopt: ask the bucket
  AddressingStyle addressing = AddressingStyle::path;
  std::uint64_t part_size = 5 * 1024 * 1024;
  unsigned concurrency = 4;
  std::uint64_t part_buffer_limit = 15 * 1024 * 1024;
  RetryPolicy retry;
};

// Reads the settings. nullopt when AWS_S3_BUCKET_NAME is unset (the backend is off).
// Credentials: the static keys when both are set (AWS_IAM_ROLE_ENDPOINT is then
// ignored, as offen does), else AWS_IAM_ROLE_ENDPOINT.
// Errors (invalid_argument, naming the variable): neither static keys nor
// AWS_IAM_ROLE_ENDPOINT (offen's message); only one of the two keys;
// AWS_IAM_ROLE_ENDPOINT that is not http(s)://host[:port] (no user info, path, query or
// fragment); AWS_ENDPOINT that is not host[:port] or http(s)://host[:port] (a host name,
// an IPv4 address or a bracketed IPv6 address; a port from 1 to 65535) or that holds
// user info (never shown); AWS_ENDPOINT_PROTO other than http or https (any case);
// AWS_ENDPOINT_INSECURE with plain http; AWS_ENDPOINT_CA_CERT neither PEM text nor a
// readable file, or without at least one certificate that OpenSSL parses; numbers out
// of range; and Settings' own errors.
util::Result<std::optional<S3Settings>> parse_s3_settings(const util::Settings& settings);

}  // namespace volback::storage::s3
