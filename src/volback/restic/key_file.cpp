#include <volback/restic/key_file.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/util/base64.hpp>

namespace volback::restic {

namespace {

constexpr std::size_t k_salt_size = 64;
constexpr std::size_t k_user_key_size = 64;

util::Error key_file_corrupt(std::string_view why) {
  return util::Error(util::ErrorKind::corrupt, fmt::format("not a restic key file: {}", why));
}

std::string key_base64(std::span<const unsigned char> bytes) {
  return util::base64_encode(bytes);
}

// A base64 field of the master key JSON, as key material of `size` bytes.
util::Result<crypto::SecretBytes> key_part(const nlohmann::json& object, const char* name, std::size_t size) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) {
    return util::fail(key_file_corrupt(fmt::format("the master key has no {}", name)));
  }
  auto decoded = util::base64_decode(it->get_ref<const std::string&>(), util::Padding::yes);
  if (!decoded || decoded->size() != size) {
    return util::fail(key_file_corrupt(fmt::format("the master key's {} is not {} bytes of base64", name, size)));
  }
  crypto::SecretBytes part{std::string_view(*decoded)};
  std::fill(decoded->begin(), decoded->end(), '\0');
  return part;
}

util::Result<MasterKey> parse_master_key(const crypto::SecretBytes& plaintext) {
  const auto json = nlohmann::json::parse(plaintext.view(), nullptr, false);
  if (!json.is_object() || !json.contains("mac") || !json["mac"].is_object()) {
    return util::fail(key_file_corrupt("the master key is not {\"mac\":{...},\"encrypt\":...}"));
  }
  MasterKey key;
  VOLBACK_TRY_ASSIGN(key.encrypt, key_part(json, "encrypt", 32));
  VOLBACK_TRY_ASSIGN(key.mac_k, key_part(json["mac"], "k", 16));
  VOLBACK_TRY_ASSIGN(key.mac_r, key_part(json["mac"], "r", 16));
  if (!key.valid()) {
    return util::fail(key_file_corrupt("a part of the master key is all zero"));
  }
  return key;
}

std::uint64_t cost_field(const nlohmann::json& json, const char* name) {
  const auto it = json.find(name);
  return it != json.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

}  // namespace

util::Result<std::string> make_key_file(const MasterKey& master, std::string_view password, const KeyFileInfo& info,
                                        const crypto::ScryptCost& cost) {
  std::string salt(k_salt_size, '\0');
  VOLBACK_TRY(crypto::random_bytes({reinterpret_cast<unsigned char*>(salt.data()), salt.size()}));
  VOLBACK_TRY_ASSIGN(const auto derived, crypto::scrypt(password, salt, cost, k_user_key_size));
  VOLBACK_TRY_ASSIGN(const auto user_key, MasterKey::from_derived(derived.span()));
  const crypto::SecretBytes master_json{
    std::string_view(fmt::format(R"({{"mac":{{"k":"{}","r":"{}"}},"encrypt":"{}"}})", key_base64(master.mac_k.span()),
                                 key_base64(master.mac_r.span()), key_base64(master.encrypt.span())))};
  std::string sealed;
  VOLBACK_TRY(seal_append(user_key, master_json.span(), sealed));
  nlohmann::ordered_json json;
  json["created"] = info.created;
  json["username"] = info.username;
  json["hostname"] = info.hostname;
  json["kdf"] = "scrypt";
  json["N"] = cost.n;
  json["r"] = cost.r;
  json["p"] = cost.p;
  json["salt"] = util::base64_encode(salt);
  json["data"] = util::base64_encode(sealed);
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

util::Result<MasterKey> open_key_file(std::string_view text, std::string_view password) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) {
    return util::fail(key_file_corrupt("not a JSON object"));
  }
  if (!json.contains("kdf") || json["kdf"] != "scrypt") {
    return util::fail(key_file_corrupt("the only supported KDF is scrypt"));
  }
  const crypto::ScryptCost cost{.n = cost_field(json, "N"), .r = cost_field(json, "r"), .p = cost_field(json, "p")};
  if (!crypto::scrypt_cost_acceptable(cost)) {
    return util::fail(key_file_corrupt(
      fmt::format("scrypt cost N={} r={} p={} is invalid or too high to accept", cost.n, cost.r, cost.p)));
  }
  const auto field = [&](const char* name) -> std::optional<std::string> {
    const auto it = json.find(name);
    if (it == json.end() || !it->is_string()) {
      return std::nullopt;
    }
    return util::base64_decode(it->get_ref<const std::string&>(), util::Padding::yes);
  };
  const auto salt = field("salt");
  if (!salt || salt->size() != k_salt_size) {
    return util::fail(key_file_corrupt("the salt is not 64 bytes of base64"));
  }
  const auto data = field("data");
  if (!data || data->size() < k_seal_overhead) {
    return util::fail(key_file_corrupt("the sealed master key is not base64 of at least 32 bytes"));
  }
  VOLBACK_TRY_ASSIGN(const auto derived, crypto::scrypt(password, *salt, cost, k_user_key_size));
  VOLBACK_TRY_ASSIGN(const auto user_key, MasterKey::from_derived(derived.span()));
  auto opened = open_sealed(user_key, *data);
  if (!opened) {
    if (opened.error().kind() == util::ErrorKind::corrupt) {
      return util::fail(util::ErrorKind::auth, "wrong password or no key found");
    }
    return util::fail(opened.error());
  }
  const crypto::SecretBytes plaintext{std::string_view(*opened)};
  std::fill(opened->begin(), opened->end(), '\0');
  return parse_master_key(plaintext);
}

}  // namespace volback::restic
