#pragma once
// age's SSH recipient types (the agessh package of the reference implementation, which
// age's specification points to for them):
//   "-> ssh-ed25519 <tag> <share>": X25519 with the Ed25519 key mapped to Montgomery form,
//     the shared secret tweaked by HKDF of the SSH public key;
//   "-> ssh-rsa <tag>": the file key encrypted with RSA-OAEP-SHA-256, label
//     "age-encryption.org/v1/ssh-rsa".
// The tag is the first 4 bytes of SHA-256 over the key's SSH wire encoding, so an
// identity only tries the stanzas meant for it.

#include <memory>

#include <volback/crypto/age_keys.hpp>
#include <volback/crypto/ssh_keys.hpp>

namespace volback::crypto {

util::Result<std::shared_ptr<const AgeRecipient>> make_age_ssh_recipient(const SshPublicKey& key);
util::Result<std::shared_ptr<const AgeIdentity>> make_age_ssh_identity(const SshPrivateKey& key);

}  // namespace volback::crypto
