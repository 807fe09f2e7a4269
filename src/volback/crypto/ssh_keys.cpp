#include <volback/crypto/ssh_keys.hpp>

#include <openssl/evp.h>

#include <fmt/format.h>

#include <volback/crypto/bcrypt_pbkdf.hpp>
#include <volback/crypto/ssh_wire.hpp>
#include <volback/util/base64.hpp>
#include <volback/util/trim.hpp>

namespace volback::crypto {

namespace {

constexpr std::string_view k_ssh_ed25519 = "ssh-ed25519";
constexpr std::string_view k_ssh_rsa = "ssh-rsa";
constexpr std::size_t k_min_rsa_bits = 2048;
constexpr std::string_view k_openssh_begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view k_openssh_end = "-----END OPENSSH PRIVATE KEY-----";

util::Error invalid(std::string_view why) {
  return util::Error(util::ErrorKind::invalid_argument, std::string(why));
}

// The ed25519 or rsa public key in `wire`.
util::Result<SshPublicKey> parse_public_wire(std::string_view wire) {
  SshReader reader(wire);
  const auto type = reader.string();
  SshPublicKey key;
  key.wire = std::string(wire);
  if (type == k_ssh_ed25519) {
    const auto pk = reader.string();
    if (!pk || pk->size() != 32 || !reader.empty()) {
      return util::fail(invalid("the ssh-ed25519 key is malformed"));
    }
    key.type = SshKeyType::ed25519;
    std::copy(pk->begin(), pk->end(), key.ed25519.begin());
    return key;
  }
  if (type == k_ssh_rsa) {
    const auto e = reader.mpint();
    const auto n = reader.mpint();
    if (!e || !n || !reader.empty()) {
      return util::fail(invalid("the ssh-rsa key is malformed"));
    }
    auto rsa = RsaKey::from_public(*n, *e);
    if (!rsa) {
      return util::fail(invalid("the ssh-rsa key is not a valid RSA key"));
    }
    if (rsa->bits() < k_min_rsa_bits) {
      return util::fail(
        invalid(fmt::format("the ssh-rsa key has {} bits; at least {} are needed", rsa->bits(), k_min_rsa_bits)));
    }
    key.type = SshKeyType::rsa;
    key.rsa = std::move(*rsa);
    return key;
  }
  return util::fail(invalid("the key is neither ssh-ed25519 nor ssh-rsa"));
}

struct CipherSpec {
  std::string_view name;
  const EVP_CIPHER* (*cipher)();
  std::size_t key_size;
  std::size_t iv_size;
  std::size_t tag_size;
};

constexpr CipherSpec k_ciphers[] = {
  {"aes256-ctr", &EVP_aes_256_ctr, 32, 16, 0},
  {"aes192-ctr", &EVP_aes_192_ctr, 24, 16, 0},
  {"aes128-ctr", &EVP_aes_128_ctr, 16, 16, 0},
  {"aes256-cbc", &EVP_aes_256_cbc, 32, 16, 0},
  {"aes192-cbc", &EVP_aes_192_cbc, 24, 16, 0},
  {"aes128-cbc", &EVP_aes_128_cbc, 16, 16, 0},
  {"aes256-gcm@openssh.com", &EVP_aes_256_gcm, 32, 12, 16},
  {"aes128-gcm@openssh.com", &EVP_aes_128_gcm, 16, 12, 16},
};

// Decrypts the private section (and checks the GCM tag, which follows it).
util::Result<SecretBytes> decrypt_section(const CipherSpec& spec, std::span<const unsigned char> key_iv,
                                          std::string_view encrypted, std::string_view tag) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  const auto* key = key_iv.data();
  const auto* iv = key_iv.data() + spec.key_size;
  SecretBytes out(encrypted.size());
  int len = 0;
  int final_len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), spec.cipher(), nullptr, nullptr, nullptr) != 1 ||
      (spec.tag_size > 0 &&
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(spec.iv_size), nullptr) != 1) ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key, iv) != 1 || EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out.data(), &len, as_uchars(encrypted).data(), static_cast<int>(encrypted.size())) !=
        1) {
    return util::fail(util::ErrorKind::permanent, "decrypting the private key failed in OpenSSL");
  }
  if (spec.tag_size > 0 && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(spec.tag_size),
                                               const_cast<char*>(tag.data())) != 1) {
    return util::fail(util::ErrorKind::permanent, "decrypting the private key failed in OpenSSL");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1) {
    return util::fail(util::ErrorKind::auth, "the passphrase of the private key is wrong");
  }
  return out;
}

util::Result<SshPrivateKey> parse_openssh(std::string_view text, std::optional<std::string_view> passphrase) {
  const auto end = text.find(k_openssh_end);
  if (end == std::string_view::npos) {
    return util::fail(invalid("the OpenSSH private key has no END line"));
  }
  std::string body;
  for (const char c : text.substr(k_openssh_begin.size(), end - k_openssh_begin.size())) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
      body += c;
    }
  }
  const auto blob = util::base64_decode(body, util::Padding::yes);
  constexpr std::string_view k_magic{"openssh-key-v1\0", 15};
  if (!blob || !std::string_view(*blob).starts_with(k_magic)) {
    return util::fail(invalid("the OpenSSH private key is not valid base64 or lacks its magic"));
  }
  SshReader reader(std::string_view(*blob).substr(k_magic.size()));
  const auto cipher_name = reader.string();
  const auto kdf_name = reader.string();
  const auto kdf_options = reader.string();
  const auto count = reader.u32();
  const auto public_wire = reader.string();
  const auto section_size = reader.u32();
  if (!cipher_name || !kdf_name || !kdf_options || !count || !public_wire || !section_size) {
    return util::fail(invalid("the OpenSSH private key is truncated"));
  }
  if (*count != 1) {
    return util::fail(invalid("the OpenSSH private key file holds more than one key"));
  }
  const auto encrypted = reader.bytes(*section_size);
  if (!encrypted) {
    return util::fail(invalid("the OpenSSH private key is truncated"));
  }
  SecretBytes section;
  if (*cipher_name == "none") {
    section = SecretBytes(*encrypted);
  } else {
    const CipherSpec* spec = nullptr;
    for (const auto& candidate : k_ciphers) {
      if (candidate.name == *cipher_name) {
        spec = &candidate;
      }
    }
    if (spec == nullptr) {
      return util::fail(
        invalid("the OpenSSH private key is encrypted with a cipher volback does not support (it "
                "reads aes*-ctr, aes*-cbc and aes*-gcm@openssh.com)"));
    }
    if (*kdf_name != "bcrypt") {
      return util::fail(invalid("the OpenSSH private key uses a key derivation other than bcrypt"));
    }
    SshReader options(*kdf_options);
    const auto salt = options.string();
    const auto rounds = options.u32();
    if (!salt || !rounds || salt->empty() || *rounds == 0 || *rounds > k_max_bcrypt_rounds) {
      return util::fail(invalid("the OpenSSH private key has malformed bcrypt options"));
    }
    const auto tag = reader.bytes(spec->tag_size);
    if (!tag || encrypted->size() % 16 != 0) {
      return util::fail(invalid("the OpenSSH private key is truncated"));
    }
    if (!passphrase) {
      return util::fail(util::ErrorKind::auth, "the private key is protected by a passphrase");
    }
    VOLBACK_TRY_ASSIGN(const auto key_iv, bcrypt_pbkdf(*passphrase, *salt, *rounds, spec->key_size + spec->iv_size));
    VOLBACK_TRY_ASSIGN(section, decrypt_section(*spec, key_iv.span(), *encrypted, *tag));
  }
  SshReader priv(section.view());
  const auto check1 = priv.u32();
  const auto check2 = priv.u32();
  if (!check1 || !check2 || *check1 != *check2) {
    if (*cipher_name != "none") {
      return util::fail(util::ErrorKind::auth, "the passphrase of the private key is wrong");
    }
    return util::fail(invalid("the OpenSSH private key is malformed"));
  }
  VOLBACK_TRY_ASSIGN(const auto pub, parse_public_wire(*public_wire));
  SshPrivateKey key;
  key.type = pub.type;
  key.public_wire = pub.wire;
  const auto type = priv.string();
  if (pub.type == SshKeyType::ed25519) {
    const auto pk = priv.string();
    const auto sk = priv.string();
    if (type != k_ssh_ed25519 || !pk || !sk || sk->size() != 64 || *pk != sk->substr(32) ||
        !std::equal(pk->begin(), pk->end(), pub.ed25519.begin(), pub.ed25519.end(),
                    [](char a, unsigned char b) { return static_cast<unsigned char>(a) == b; })) {
      return util::fail(invalid("the OpenSSH ed25519 private key is malformed"));
    }
    key.ed25519 = SecretBytes(*sk);
    return key;
  }
  const auto n = priv.mpint();
  const auto e = priv.mpint();
  const auto d = priv.mpint();
  const auto iqmp = priv.mpint();
  const auto p = priv.mpint();
  const auto q = priv.mpint();
  if (type != k_ssh_rsa || !n || !e || !d || !iqmp || !p || !q || *n != pub.rsa->n() || *e != pub.rsa->e()) {
    return util::fail(invalid("the OpenSSH RSA private key is malformed"));
  }
  auto rsa = RsaKey::from_private(*n, *e, *d, *p, *q);
  if (!rsa) {
    return util::fail(invalid("the OpenSSH RSA private key is not a valid RSA key"));
  }
  key.rsa = std::move(*rsa);
  return key;
}

}  // namespace

std::string_view to_string(SshKeyType type) {
  return type == SshKeyType::ed25519 ? k_ssh_ed25519 : k_ssh_rsa;
}

util::Result<SshPublicKey> parse_ssh_public_key(std::string_view line) {
  line = util::trim(line);
  const auto space = line.find(' ');
  if (space == std::string_view::npos) {
    return util::fail(invalid("an SSH public key is \"TYPE BASE64 [comment]\""));
  }
  const auto type = line.substr(0, space);
  auto rest = line.substr(space + 1);
  const auto end = rest.find(' ');
  const auto encoded = rest.substr(0, end);
  if (type != k_ssh_ed25519 && type != k_ssh_rsa) {
    return util::fail(invalid("only ssh-ed25519 and ssh-rsa keys are supported"));
  }
  const auto wire = util::base64_decode(encoded, util::Padding::yes);
  if (!wire) {
    return util::fail(invalid(fmt::format("the {} key is not valid base64", type)));
  }
  VOLBACK_TRY_ASSIGN(auto key, parse_public_wire(*wire));
  if (to_string(key.type) != type) {
    return util::fail(invalid(fmt::format("the key's type does not match its {} prefix", type)));
  }
  return key;
}

bool is_ssh_private_key(std::string_view text) {
  text = util::trim(text);
  return text.starts_with(k_openssh_begin) || text.starts_with("-----BEGIN RSA PRIVATE KEY-----") ||
         text.starts_with("-----BEGIN PRIVATE KEY-----") || text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----");
}

util::Result<SshPrivateKey> parse_ssh_private_key(std::string_view text, std::optional<std::string_view> passphrase) {
  text = util::trim(text);
  if (text.starts_with(k_openssh_begin)) {
    return parse_openssh(text, passphrase);
  }
  VOLBACK_TRY_ASSIGN(auto rsa, RsaKey::from_pem(text, passphrase));
  if (rsa.bits() < k_min_rsa_bits) {
    return util::fail(
      invalid(fmt::format("the RSA key has {} bits; at least {} are needed", rsa.bits(), k_min_rsa_bits)));
  }
  SshPrivateKey key;
  key.type = SshKeyType::rsa;
  key.public_wire = ssh_rsa_wire(rsa);
  key.rsa = std::move(rsa);
  return key;
}

std::string ssh_rsa_wire(const RsaKey& key) {
  std::string wire;
  ssh_put_string(wire, k_ssh_rsa);
  ssh_put_mpint(wire, key.e());
  ssh_put_mpint(wire, key.n());
  return wire;
}

}  // namespace volback::crypto
