#pragma once
// age's scrypt recipient type (age-encryption.org/v1, §"The scrypt recipient type"): a
// passphrase, stretched with scrypt (N = 2^work factor, r = 8, p = 1) over a random
// 16-byte salt; "-> scrypt <salt> <work factor>". Such a stanza must be alone in a header.

#include <memory>
#include <string_view>

#include <volback/crypto/age_keys.hpp>

namespace volback::crypto {

// The work factor volback writes: age's default, 2^18 (256 MiB, about a second).
inline constexpr unsigned k_age_scrypt_work_factor = 18;
// The largest work factor volback reads: 2^20 needs 1 GiB. A hostile header cannot make
// it take more.
inline constexpr unsigned k_age_scrypt_max_work_factor = 20;

std::shared_ptr<const AgeRecipient> make_age_scrypt_recipient(std::string_view passphrase,
                                                              unsigned work_factor = k_age_scrypt_work_factor);
std::shared_ptr<const AgeIdentity> make_age_scrypt_identity(std::string_view passphrase,
                                                            unsigned max_work_factor = k_age_scrypt_max_work_factor);

}  // namespace volback::crypto
