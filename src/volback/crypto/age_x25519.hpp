#pragma once
// age's native X25519 recipient type (age-encryption.org/v1, §"The X25519 recipient
// type"): "age1…" recipients and "AGE-SECRET-KEY-1…" identities (Bech32), the stanza
// "-> X25519 <ephemeral share>" whose body is the file key sealed with a key derived by
// HKDF-SHA-256 from the shared secret. Helpers also used by the ssh-ed25519 type.

#include <memory>
#include <string_view>

#include <volback/crypto/age_keys.hpp>
#include <volback/crypto/primitives.hpp>

namespace volback::crypto {

util::Result<std::shared_ptr<const AgeRecipient>> parse_age_x25519_recipient(std::string_view text);
util::Result<std::shared_ptr<const AgeIdentity>> parse_age_x25519_identity(std::string_view text);

// "AGE-SECRET-KEY-1…" and "age1…" for a 32-byte scalar, for tests and key generation.
std::string encode_age_x25519_identity(std::span<const unsigned char> scalar);
std::string encode_age_x25519_recipient(std::span<const unsigned char> point);

// The share argument of an X25519-style stanza: 32 bytes of canonical base64. Errors:
// corrupt.
util::Result<Bytes32> decode_age_share(std::string_view arg, std::string_view stanza_type);

}  // namespace volback::crypto
