#pragma once
// Azure Storage's Shared Key authorization, as pure functions (no clock, no I/O).
//
// The string to sign (for the Blob service, version 2009-09-19 and later) is:
//   VERB \n Content-Encoding \n Content-Language \n Content-Length (empty when 0) \n
//   Content-MD5 \n Content-Type \n Date \n If-Modified-Since \n If-Match \n
//   If-None-Match \n If-Unmodified-Since \n Range \n
//   CanonicalizedHeaders CanonicalizedResource
// where CanonicalizedHeaders are the x-ms-* headers, names lower-cased, sorted, one
// "name:value\n" each, and CanonicalizedResource is "/" account, the request's path as
// sent, then one "\nname:value" per query parameter (names lower-cased and sorted;
// several values of a name sorted and joined by ','). The signature is the base64
// HMAC-SHA256 of that string under the decoded account key; the request carries
// "Authorization: SharedKey <account>:<signature>".

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace volback::storage::azure {

struct SharedKeyRequest {
  std::string method;                                        // "PUT"
  std::string path;                                          // as sent, percent-encoded: "/container/dir/blob%20x"
  std::vector<std::pair<std::string, std::string>> query;    // decoded names and values
  std::vector<std::pair<std::string, std::string>> headers;  // every header sent (any case)
};

// The CanonicalizedResource of `request` for `account`.
std::string canonicalized_resource(std::string_view account, const SharedKeyRequest& request);

// The string to sign.
std::string string_to_sign(std::string_view account, const SharedKeyRequest& request);

// base64(HMAC-SHA256(key, text)).
std::string shared_key_signature(std::span<const unsigned char> key, std::string_view text);

// "SharedKey <account>:<signature>".
std::string authorization(std::string_view account, std::span<const unsigned char> key,
                          const SharedKeyRequest& request);

}  // namespace volback::storage::azure
