#pragma once
// A Google service account key (the JSON file the Cloud console downloads) and the
// signed JWT that trades it for an access token (RFC 7523, Google's "JWT bearer" grant).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::storage::gdrive {

// The Drive scope volback asks for: full access, as offen (drive.DriveScope).
inline constexpr std::string_view k_drive_scope = "https://www.googleapis.com/auth/drive";
// How long an assertion (and so the token it asks for) may live: Google's maximum.
inline constexpr std::int64_t k_assertion_lifetime_seconds = 3600;

struct ServiceAccount {
  std::string client_email;
  std::string private_key_pem;  // an RSA key, PKCS#8 or PKCS#1 PEM; a secret
  std::string private_key_id;   // may be empty; goes into the JWT header as "kid"
  std::string token_uri;        // may be empty
};

// Parses a service account key. Checks that it is a JSON object with string fields
// client_email and private_key (type, when present, must be "service_account"), and that
// private_key is an RSA private key OpenSSL reads. Errors: invalid_argument naming
// `variable`, saying what is wrong, never quoting the key or the JSON.
util::Result<ServiceAccount> parse_service_account(std::string_view json_text, std::string_view variable);

struct AssertionClaims {
  std::string issuer;          // iss: the client_email
  std::string audience;        // aud: the token URL
  std::string subject;         // sub: the impersonated user; empty: none
  std::int64_t issued_at = 0;  // iat, seconds since the epoch; exp = iat + 3600
};

// The JWT "<header>.<claims>.<signature>", base64url without padding, header
// {"alg":"RS256","typ":"JWT"[,"kid":…]}, claims iss, scope (k_drive_scope), aud, iat,
// exp and sub when given, signed RSASSA-PKCS1-v1_5 with SHA-256 (OpenSSL EVP_DigestSign).
// Errors: permanent when signing fails (the message never holds the key).
util::Result<std::string> make_assertion(const ServiceAccount& account, const AssertionClaims& claims);

// base64url (RFC 4648 §5) without padding. Pure.
std::string base64url(std::string_view bytes);

}  // namespace volback::storage::gdrive
