#pragma once
// restic's key files (keys/<id>, the format's §2): plain JSON that names scrypt's cost and
// salt and holds the repository's master key, sealed with the user key that scrypt derives
// from a password. Several key files may wrap one master key (one per password). A key
// file is stored under the SHA-256 of its bytes.

#include <string>
#include <string_view>

#include <volback/crypto/primitives.hpp>
#include <volback/restic/master_key.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// What `restic key list` shows about a key.
struct KeyFileInfo {
  std::string created;  // RFC 3339
  std::string username;
  std::string hostname;
};

// The cost volback writes: N = 2^15 and r = 8 (32 MiB, as restic calibrates them) and p = 4
// (about a quarter of a second here).
inline constexpr crypto::ScryptCost k_key_file_cost{.n = 32768, .r = 8, .p = 4};

// The bytes of a new key file for `master` under `password`, with 64 random salt bytes.
util::Result<std::string> make_key_file(const MasterKey& master, std::string_view password, const KeyFileInfo& info,
                                        const crypto::ScryptCost& cost = k_key_file_cost);

// The master key that `password` opens in the key file `json`. Errors: auth when the
// password does not open it; corrupt when the file is not a key file restic would read
// (kdf other than scrypt, a salt that is not 64 bytes, a cost scrypt refuses or beyond
// crypto::scrypt_cost_acceptable, a master key whose parts are missing or zero).
util::Result<MasterKey> open_key_file(std::string_view json, std::string_view password);

}  // namespace volback::restic
