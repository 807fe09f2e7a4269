#pragma once
// bcrypt_pbkdf, OpenSSH's key derivation for passphrase-protected private keys (OpenBSD's
// bcrypt_pbkdf.c: PBKDF2-like rounds of a bcrypt hash over SHA-512 of the passphrase and
// salt). Pure and thread-safe; about 10 ms per round on one core.

#include <cstddef>
#include <string_view>

#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

// `length` bytes (1..1024) derived with `rounds` (at least 1). Errors: invalid_argument
// for a length or round count outside those bounds, or more than k_max_bcrypt_rounds.
inline constexpr unsigned k_max_bcrypt_rounds = 1024;
util::Result<SecretBytes> bcrypt_pbkdf(std::string_view passphrase, std::string_view salt, unsigned rounds,
                                       std::size_t length);

}  // namespace volback::crypto
