#include <volback/crypto/pgp_s2k.hpp>

#include <fmt/format.h>

namespace volback::crypto {

std::uint8_t pgp_cipher_id(Cipher cipher) {
  switch (cipher) {
  case Cipher::aes128: return 7;
  case Cipher::aes192: return 8;
  case Cipher::aes256: return 9;
  case Cipher::camellia128: return 11;
  case Cipher::camellia192: return 12;
  case Cipher::camellia256: return 13;
  }
  return 9;
}

std::optional<Cipher> pgp_cipher(std::uint8_t id) {
  switch (id) {
  case 7: return Cipher::aes128;
  case 8: return Cipher::aes192;
  case 9: return Cipher::aes256;
  case 11: return Cipher::camellia128;
  case 12: return Cipher::camellia192;
  case 13: return Cipher::camellia256;
  default: return std::nullopt;
  }
}

std::uint8_t pgp_hash_id(Hash hash) {
  switch (hash) {
  case Hash::sha1: return 2;
  case Hash::sha256: return 8;
  case Hash::sha384: return 9;
  case Hash::sha512: return 10;
  case Hash::sha224: return 11;
  }
  return 8;
}

std::optional<Hash> pgp_hash(std::uint8_t id) {
  switch (id) {
  case 2: return Hash::sha1;
  case 8: return Hash::sha256;
  case 9: return Hash::sha384;
  case 10: return Hash::sha512;
  case 11: return Hash::sha224;
  default: return std::nullopt;
  }
}

std::uint64_t PgpS2k::iterations() const {
  return (std::uint64_t{16} + (count & 15)) << ((count >> 4) + 6);
}

util::Result<SecretBytes> PgpS2k::derive(std::string_view passphrase, std::size_t size) const {
  if (gnu_dummy) {
    return util::fail(util::ErrorKind::invalid_argument, "the secret key is not in the key ring (a GnuPG stub)");
  }
  SecretBytes key(size);
  const std::size_t digest_size = hash_size(hash);
  const std::size_t unit = salt.size() + passphrase.size();
  // The salt and passphrase repeated to about 64 KiB, so that the iterated hash takes few
  // calls.
  const std::size_t copies = unit == 0 ? 1 : std::max<std::size_t>(1, (64 * 1024) / unit);
  SecretBytes material(unit * copies);
  for (std::size_t i = 0; i < copies; ++i) {
    std::copy(salt.begin(), salt.end(), material.data() + i * unit);
    std::copy(passphrase.begin(), passphrase.end(), material.data() + i * unit + salt.size());
  }
  for (std::size_t done = 0, round = 0; done < size; ++round) {
    // Round n hashes n zero bytes first, so that each gives a different digest.
    Digest digest(hash);
    const std::string zeros(round, '\0');
    digest.update(zeros);
    if (type == 3) {
      std::uint64_t left = std::max<std::uint64_t>(iterations(), unit);
      while (left > 0) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, material.size()));
        digest.update(material.span().first(n));
        left -= n;
      }
    } else {
      digest.update(material.span().first(unit));
    }
    const std::string out = digest.final();
    const std::size_t n = std::min(digest_size, size - done);
    std::copy_n(out.begin(), n, key.data() + done);
    done += n;
  }
  return key;
}

void PgpS2k::encode(std::string& out) const {
  out += static_cast<char>(type);
  out += static_cast<char>(pgp_hash_id(hash));
  if (type == 1 || type == 3) {
    out += salt;
  }
  if (type == 3) {
    out += static_cast<char>(count);
  }
}

util::Result<PgpS2k> read_s2k(PgpReader& reader) {
  const auto type = reader.u8();
  const auto hash_id = reader.u8();
  if (!type || !hash_id) {
    return util::fail(util::ErrorKind::corrupt, "an OpenPGP S2K specifier is truncated");
  }
  PgpS2k s2k;
  s2k.type = *type;
  if (*type == 101) {
    // GnuPG's extension: "GNU", then a mode (1: no secret, 2: on a smartcard).
    const auto gnu = reader.bytes(3);
    const auto mode = reader.u8();
    if (!gnu || *gnu != "GNU" || !mode) {
      return util::fail(util::ErrorKind::corrupt, "an OpenPGP S2K specifier is malformed");
    }
    s2k.gnu_dummy = true;
    return s2k;
  }
  const auto hash = pgp_hash(*hash_id);
  if (!hash) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("the S2K hash algorithm {} is not supported (SHA-1 and SHA-2 are)", *hash_id));
  }
  s2k.hash = *hash;
  if (*type == 1 || *type == 3) {
    const auto salt = reader.bytes(8);
    if (!salt) {
      return util::fail(util::ErrorKind::corrupt, "an OpenPGP S2K specifier is truncated");
    }
    s2k.salt = std::string(*salt);
  }
  if (*type == 3) {
    const auto count = reader.u8();
    if (!count) {
      return util::fail(util::ErrorKind::corrupt, "an OpenPGP S2K specifier is truncated");
    }
    s2k.count = *count;
  } else if (*type != 0 && *type != 1) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("the S2K type {} is not supported", *type));
  }
  return s2k;
}

util::Result<PgpS2k> new_s2k() {
  PgpS2k s2k;
  s2k.type = 3;
  s2k.hash = Hash::sha256;
  s2k.salt.assign(8, '\0');
  VOLBACK_TRY(random_bytes({reinterpret_cast<unsigned char*>(s2k.salt.data()), s2k.salt.size()}));
  s2k.count = 0xFF;
  return s2k;
}

}  // namespace volback::crypto
