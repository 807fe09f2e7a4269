#pragma once
// AWS Signature Version 4 for S3, as a pure function of the request and the time.
//
// The caller builds the request's canonical pieces (an already URI-encoded path, raw
// query parameters, the headers to sign including host, x-amz-date and
// x-amz-content-sha256) and gets back the Authorization header value. S3's rules apply:
// the path is used as given (no normalisation, no double encoding); query names and
// values are URI-encoded here with every byte except A–Z a–z 0–9 - . _ ~ escaped and
// sorted by name, then value; header names are lower-cased, values trimmed with inner
// runs of spaces collapsed, headers sorted by name and repeated names joined with ','.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <volback/util/clock.hpp>

namespace volback::storage::s3 {

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // empty: none
};

struct SigningInput {
  std::string method;                                        // "GET", "PUT", ...
  std::string canonical_path;                                // "/bucket/key%24x"
  std::vector<std::pair<std::string, std::string>> query;    // raw names and values
  std::vector<std::pair<std::string, std::string>> headers;  // every header to sign
  std::string payload_hash;                                  // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

// "20130524T000000Z" for `time` (UTC).
std::string amz_date(util::TimePoint time);

// The canonical request and string to sign, exposed for tests and debugging.
std::string canonical_request(const SigningInput& input);
std::string string_to_sign(const SigningInput& input, std::string_view amz_date_text, std::string_view region,
                           std::string_view service);

// The Authorization header value:
//   AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request,
//   SignedHeaders=<names>, Signature=<hex>
// `amz_date_text` must equal the x-amz-date header in `input.headers`. Pure; thread-safe.
std::string authorization(const SigningInput& input, const Credentials& credentials, std::string_view amz_date_text,
                          std::string_view region, std::string_view service = "s3");

// The canonical query string ("a=1&b=x%2Fy"), also used to build request URLs so that the
// signed and the sent query are byte-identical.
std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace volback::storage::s3
