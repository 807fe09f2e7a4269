#pragma once
// OpenPGP's session key packets (RFC 4880 §5.1, §5.3; RFC 6637 §8 for ECDH): making the
// SKESK of a passphrase and the PKESK of an RSA or cv25519 recipient, and opening them
// again. Pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <volback/crypto/pgp_keys.hpp>
#include <volback/crypto/primitives.hpp>
#include <volback/crypto/secret_bytes.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

struct PgpSessionKey {
  Cipher cipher = Cipher::aes256;
  SecretBytes key;
};

// A version 4 SKESK without an encrypted session key: the session key is the S2K of the
// passphrase (as `gpg --symmetric` writes). The packet (header included) and the key.
struct PgpSkesk {
  std::string packet;
  PgpSessionKey session;
};
util::Result<PgpSkesk> make_skesk(std::string_view passphrase, Cipher cipher);

// A version 3 PKESK carrying `session` to `recipient` (RSA or cv25519), header included.
util::Result<std::string> make_pkesk(const PgpPublicKey& recipient, const PgpSessionKey& session);

// The session key of a SKESK body for `passphrase`; the key may still be wrong (a wrong
// passphrase shows only in the encrypted data's check bytes). Errors: corrupt for a
// malformed packet; invalid_argument for a version, cipher or S2K volback does not read.
util::Result<PgpSessionKey> open_skesk(std::string_view body, std::string_view passphrase);

struct PgpPkeskInfo {
  std::uint64_t key_id = 0;  // 0: anonymous recipient (gpg --throw-keyids)
  std::uint8_t algorithm = 0;
};
// The recipient a PKESK body names. Errors: corrupt when truncated; invalid_argument for
// a version other than 3.
util::Result<PgpPkeskInfo> pkesk_info(std::string_view body);

// The session key of a PKESK body with the unlocked secret of `key`. Errors: corrupt when
// it does not decrypt with this key (padding, key wrap or checksum fail).
util::Result<PgpSessionKey> open_pkesk(std::string_view body, const PgpPublicKey& key,
                                       const PgpSecretKey::Unlocked& secret);

}  // namespace volback::crypto
