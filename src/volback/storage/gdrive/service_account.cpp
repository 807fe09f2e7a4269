#include <volback/storage/gdrive/service_account.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/util/base64.hpp>

namespace volback::storage::gdrive {

namespace {

using json = nlohmann::json;

struct SaPkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct SaBioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct SaMdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using SaPkey = std::unique_ptr<EVP_PKEY, SaPkeyFree>;

// The RSA private key in PEM text, or nullptr.
SaPkey read_rsa_key(std::string_view pem) {
  std::unique_ptr<BIO, SaBioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return nullptr;
  }
  // An empty passphrase callback: an encrypted key fails instead of prompting.
  SaPkey key(PEM_read_bio_PrivateKey(
    bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return nullptr;
  }
  return key;
}

util::Error account_error(std::string_view variable, std::string_view why) {
  return util::Error(util::ErrorKind::invalid_argument, fmt::format("invalid value for {}: {}", variable, why));
}

// The string member `name`, nullopt when absent; an error when it is not a string.
util::Result<std::optional<std::string>> string_member(const json& object, const char* name,
                                                       std::string_view variable) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    return std::optional<std::string>();
  }
  if (!it->is_string()) {
    return util::fail(account_error(variable, fmt::format("\"{}\" is not a string", name)));
  }
  return std::optional<std::string>(it->get<std::string>());
}

}  // namespace

std::string base64url(std::string_view bytes) {
  std::string out = util::base64_encode(bytes, util::Padding::no);
  for (char& c : out) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    }
  }
  return out;
}

util::Result<ServiceAccount> parse_service_account(std::string_view json_text, std::string_view variable) {
  // Parse errors name no position: the text around it could be part of the key.
  const json parsed = json::parse(json_text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return util::fail(account_error(variable, "not a JSON object (expected a service account key file)"));
  }
  VOLBACK_TRY_ASSIGN(const auto type, string_member(parsed, "type", variable));
  if (type && *type != "service_account") {
    return util::fail(account_error(
      variable, fmt::format("\"type\" is \"{}\", not \"service_account\" (only service account keys are supported)",
                            type->substr(0, 40))));
  }
  ServiceAccount out;
  VOLBACK_TRY_ASSIGN(const auto email, string_member(parsed, "client_email", variable));
  VOLBACK_TRY_ASSIGN(const auto key, string_member(parsed, "private_key", variable));
  VOLBACK_TRY_ASSIGN(const auto key_id, string_member(parsed, "private_key_id", variable));
  VOLBACK_TRY_ASSIGN(const auto token_uri, string_member(parsed, "token_uri", variable));
  if (!email || email->empty()) {
    return util::fail(account_error(variable, "\"client_email\" is missing"));
  }
  if (!key || key->empty()) {
    return util::fail(account_error(variable, "\"private_key\" is missing"));
  }
  if (!read_rsa_key(*key)) {
    return util::fail(account_error(variable, "\"private_key\" is not an unencrypted RSA private key in PEM form"));
  }
  out.client_email = *email;
  out.private_key_pem = *key;
  out.private_key_id = key_id.value_or("");
  out.token_uri = token_uri.value_or("");
  return out;
}

util::Result<std::string> make_assertion(const ServiceAccount& account, const AssertionClaims& claims) {
  json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!account.private_key_id.empty()) {
    header["kid"] = account.private_key_id;
  }
  json body = {{"iss", claims.issuer},
               {"scope", std::string(k_drive_scope)},
               {"aud", claims.audience},
               {"iat", claims.issued_at},
               {"exp", claims.issued_at + k_assertion_lifetime_seconds}};
  if (!claims.subject.empty()) {
    body["sub"] = claims.subject;
  }
  const std::string signing_input = base64url(header.dump()) + "." + base64url(body.dump());
  const SaPkey key = read_rsa_key(account.private_key_pem);
  if (!key) {
    return util::fail(util::ErrorKind::permanent, "the service account's private key cannot be read");
  }
  std::unique_ptr<EVP_MD_CTX, SaMdCtxFree> ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return util::fail(util::ErrorKind::permanent, "signing the token request with the service account's key failed");
  }
  std::vector<unsigned char> signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return util::fail(util::ErrorKind::permanent, "signing the token request with the service account's key failed");
  }
  return signing_input + "." + base64url(std::string_view(reinterpret_cast<const char*>(signature.data()), length));
}

}  // namespace volback::storage::gdrive
