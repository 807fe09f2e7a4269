#include <volback/storage/gdrive/service_account.hpp>

#include <gtest/gtest.h>

#include <volback/storage/gdrive/gdrive_test_key.hpp>
#include <volback/util/base64.hpp>

namespace volback::storage::gdrive {
namespace {

std::string from_base64url(std::string text) {
  for (char& c : text) {
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  return util::base64_decode(text, util::Padding::no).value_or("<not base64url>");
}

std::vector<std::string> split_jwt(const std::string& jwt) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  for (auto dot = jwt.find('.'); dot != std::string::npos; dot = jwt.find('.', at)) {
    parts.push_back(jwt.substr(at, dot - at));
    at = dot + 1;
  }
  parts.push_back(jwt.substr(at));
  return parts;
}

bool signature_verifies(const std::string& signing_input, const std::string& signature, const std::string& public_pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size())),
                                                &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
                                                          &EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!key || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
}

TEST(GdriveServiceAccount, ParsesAServiceAccountKey) {
  auto account = parse_service_account(testkey::service_account_json(), "V");
  ASSERT_TRUE(account) << account.error().message();
  EXPECT_EQ(account->client_email, "backup@project.iam.gserviceaccount.com");
  EXPECT_EQ(account->private_key_id, "kid1");
  EXPECT_EQ(account->token_uri, "https://oauth2.googleapis.com/token");
}

TEST(GdriveServiceAccount, RefusesWhatIsNotOneWithoutQuotingIt) {
  const std::string pem = testkey::test_key_pair().private_pem;
  const auto body = pem.substr(40, 30);  // a piece of the key
  const std::vector<std::string> bad{
    "",
    "not json " + body,
    "[1,2]",
    R"({"type":"authorized_user","client_email":"a@b","private_key":"x"})",
    R"({"client_email":"a@b"})",
    R"({"client_email":5,"private_key":"x"})",
    nlohmann::json{{"client_email", "a@b"}, {"private_key", "-----BEGIN PRIVATE KEY-----\n" + body + "\n"}}.dump(),
    nlohmann::json{{"client_email", "a@b"}, {"private_key", {1, 2}}}.dump(),
  };
  for (const auto& text : bad) {
    auto parsed = parse_service_account(text, "GOOGLE_DRIVE_CREDENTIALS_JSON");
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(parsed.error().message().find("GOOGLE_DRIVE_CREDENTIALS_JSON"), std::string::npos);
    EXPECT_EQ(parsed.error().message().find(body), std::string::npos) << parsed.error().message();
  }
}

TEST(GdriveServiceAccount, TheAssertionIsASignedRs256Jwt) {
  auto account = parse_service_account(testkey::service_account_json(), "V");
  ASSERT_TRUE(account);
  AssertionClaims claims{"backup@project.iam.gserviceaccount.com", "http://127.0.0.1:1/token", "admin@example.com",
                         1'700'000'000};
  auto jwt = make_assertion(*account, claims);
  ASSERT_TRUE(jwt) << jwt.error().message();
  const auto parts = split_jwt(*jwt);
  ASSERT_EQ(parts.size(), 3U);
  for (const auto& part : parts) {
    EXPECT_EQ(part.find_first_of("+/="), std::string::npos) << "not base64url: " << part;
  }
  const auto header = nlohmann::json::parse(from_base64url(parts[0]));
  EXPECT_EQ(header["alg"], "RS256");
  EXPECT_EQ(header["typ"], "JWT");
  EXPECT_EQ(header["kid"], "kid1");
  const auto body = nlohmann::json::parse(from_base64url(parts[1]));
  EXPECT_EQ(body["iss"], "backup@project.iam.gserviceaccount.com");
  EXPECT_EQ(body["scope"], "https://www.googleapis.com/auth/drive");
  EXPECT_EQ(body["aud"], "http://127.0.0.1:1/token");
  EXPECT_EQ(body["sub"], "admin@example.com");
  EXPECT_EQ(body["iat"], 1'700'000'000);
  EXPECT_EQ(body["exp"], 1'700'003'600);
  EXPECT_TRUE(
    signature_verifies(parts[0] + "." + parts[1], from_base64url(parts[2]), testkey::test_key_pair().public_pem));
  EXPECT_FALSE(
    signature_verifies(parts[0] + "." + parts[1] + "x", from_base64url(parts[2]), testkey::test_key_pair().public_pem));
}

TEST(GdriveServiceAccount, NoSubjectClaimWithoutImpersonation) {
  auto account = parse_service_account(testkey::service_account_json(), "V");
  ASSERT_TRUE(account);
  auto jwt = make_assertion(*account, AssertionClaims{"a@b", "https://t/token", "", 5});
  ASSERT_TRUE(jwt);
  const auto body = nlohmann::json::parse(from_base64url(split_jwt(*jwt)[1]));
  EXPECT_FALSE(body.contains("sub"));
}

TEST(GdriveServiceAccount, Base64UrlHasNoPadding) {
  EXPECT_EQ(base64url(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(base64url("a"), "YQ");
}

}  // namespace
}  // namespace volback::storage::gdrive
