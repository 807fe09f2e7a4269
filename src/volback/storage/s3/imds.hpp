#pragma once
// The EC2 instance metadata service (IMDS) protocol for an IAM role's temporary
// credentials, as minio-go (and so offen) speaks it (internal to storage/s3):
//
//   1. PUT {endpoint}/latest/api/token with X-aws-ec2-metadata-token-ttl-seconds: 21600
//      → an IMDSv2 session token. 403, 404 or 405 mean the service has no IMDSv2 (or a
//      proxy refuses the PUT): the next requests go without a token (IMDSv1).
//   2. GET {endpoint}/latest/meta-data/iam/security-credentials/ → the role name, the
//      first line of the reply (an instance profile holds one role).
//   3. GET {endpoint}/latest/meta-data/iam/security-credentials/<role> → JSON
//      {"Code": "Success", "AccessKeyId", "SecretAccessKey", "Token", "Expiration"}.
//   Requests 2 and 3 carry the token as X-aws-ec2-metadata-token when there is one.
//
// The server is not trusted: every reply is read up to k_imds_max_reply bytes, and
// whatever it hands out must be fit for an HTTP header. Messages start with
// "instance metadata service, <step>:" where step is "token", "role name" or
// "credentials", and never hold the secret key, the session token or the IMDS token.
// Error kinds:
//   transient  the transport's transient errors (refused, reset, timeouts), HTTP 5xx, 429
//   auth       HTTP 401, 403, 404 for steps 2 and 3 (no role, a token refused), no role
//              name, a Code other than "Success"
//   permanent  other HTTP statuses, a reply too large, malformed or missing a field

#include <cstddef>
#include <string>
#include <string_view>

#include <volback/http/transport.hpp>
#include <volback/storage/s3/sigv4.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::s3 {

// The largest reply read from the service; roles' credentials are about 1.5 KiB.
inline constexpr std::size_t k_imds_max_reply = 64 * 1024;

struct RoleCredentials {
  std::string role;  // the IAM role's name
  Credentials credentials;
  util::TimePoint expiration;
};

// Fetches the role's credentials from the service at `endpoint` ("http(s)://host[:port]")
// with `transport`: the three steps above, one attempt each. Logs the IMDSv1 fallback at
// debug level.
util::Result<RoleCredentials> fetch_role_credentials(http::Transport& transport, std::string_view endpoint,
                                                     util::Logger& log);

// Step 2's reply: the first line, which must be an IAM role name (1 to 64 of A–Z a–z
// 0–9 + = , . @ _ -). Pure.
util::Result<std::string> parse_role_name(std::string_view reply);

// Step 3's reply, with `role` left empty. Pure.
util::Result<RoleCredentials> parse_role_credentials(std::string_view reply);

}  // namespace volback::storage::s3
