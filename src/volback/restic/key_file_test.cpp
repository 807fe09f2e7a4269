#include <volback/restic/key_file.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <volback/restic/test_support.hpp>
#include <volback/util/base64.hpp>

namespace volback::restic {
namespace {

using testing::bytes_of;
using testing::from_hex;

// A key file `restic init` (0.14) wrote for the password "volback-test", and the master key
// `restic cat masterkey` printed for it.
constexpr std::string_view k_restic_key_file =
  R"({"created":"2026-12-02T11:34:48.959531489Z","username":"root","hostname":"vm","kdf":"scrypt","N":32768,"r":8,"p":3,)"
  R"("salt":"gTRuA2aOn6DFP+QkzTwH0lZsZyoZewEv7jJOnLKpcuXmgydq0iXPPkCRsCphDQ4J730TmlpxVsD0yPu78Ai+Aw==",)"
  R"("data":"K3fecInYsqIFzeY4WNJ8Z7DEsXvOIug0HXFGQYb/rBS43JVuSvF4xKVGhAO1s8/XGtWAXHHyNA1LTq6vvkjSXRfPMLDMlGBF3lLOiIsyZZ3b)"
  R"(DG/DiGIiILYNhClqB4WIgBuuN/T3+Myu6fhZw7WKEEWC7PzzchrRIP7reMwnpHH9sCpDN20zLc15jyvFYHe4D+mLR+iZS/jFkg4Hy/CQJQ=="})";

std::string b64(const crypto::SecretBytes& bytes) {
  return util::base64_encode(bytes.span());
}

constexpr crypto::ScryptCost k_cheap{.n = 1024, .r = 8, .p = 1};

TEST(ResticKeyFile, ScryptMatchesThePublishedVector) {
  std::string salt;
  for (int i = 0; i < 64; ++i) {
    salt += static_cast<char>(i);
  }
  const auto derived = crypto::scrypt("test", salt, crypto::ScryptCost{.n = 16384, .r = 8, .p = 1}, 64);
  ASSERT_TRUE(derived);
  EXPECT_EQ(derived->view(), from_hex("8cb31c4824c9747de72610e2280bfea366925f05c471cfb2f47c8b3fb4dd9b24"
                                      "5125c7c3bd289be20bc5bf366e65060470fa2084bb4c132c9777ecd7d886593b"));
}

TEST(ResticKeyFile, OpensAKeyFileResticWrote) {
  const auto key = open_key_file(k_restic_key_file, "volback-test");
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(b64(key->mac_k), "pcUVpq+GsOMfOsDwIsQReQ==");
  EXPECT_EQ(b64(key->mac_r), "XGOSBMBEsQwkJ/4AVH+1AQ==");
  EXPECT_EQ(b64(key->encrypt), "v4nOy8u/i8A38B8O4bMBdjBE8znxj/rVXVJsxb5vLSQ=");
}

TEST(ResticKeyFile, AWrongPasswordIsAnAuthError) {
  const auto key = open_key_file(k_restic_key_file, "volback-tesT");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().kind(), util::ErrorKind::auth);
}

TEST(ResticKeyFile, MakesAKeyFileInResticsShapeThatOpensAgain) {
  const auto master = MasterKey::generate();
  ASSERT_TRUE(master);
  const auto file =
    make_key_file(*master, "pw", {.created = "2026-12-02T10:00:00Z", .username = "u", .hostname = "h"}, k_cheap);
  ASSERT_TRUE(file) << file.error().message();
  EXPECT_EQ(file->rfind(R"({"created":"2026-12-02T10:00:00Z","username":"u","hostname":"h","kdf":"scrypt",)"
                        R"("N":1024,"r":8,"p":1,"salt":")",
                        0),
            0U)
    << *file;
  const auto json = nlohmann::json::parse(*file);
  EXPECT_EQ(util::base64_decode(json["salt"].get<std::string>(), util::Padding::yes)->size(), 64U);
  const auto opened = open_key_file(*file, "pw");
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_TRUE(opened->encrypt.equals(master->encrypt.span()));
  EXPECT_TRUE(opened->mac_k.equals(master->mac_k.span()));
  EXPECT_TRUE(opened->mac_r.equals(master->mac_r.span()));
  EXPECT_EQ(open_key_file(*file, "other").error().kind(), util::ErrorKind::auth);
}

TEST(ResticKeyFile, RefusesWhatResticRefusesAsCorrupt) {
  const auto with = [](const char* field, const nlohmann::json& value) {
    auto json = nlohmann::json::parse(k_restic_key_file);
    json[field] = value;
    return json.dump();
  };
  const std::string short_salt = util::base64_encode(std::string(32, 'x'));
  for (const auto& bad :
       {std::string("not json"), std::string("[]"), with("kdf", "argon2"), with("salt", short_salt),
        with("salt", "@@@"), with("N", 1000), with("N", 1), with("r", 0), with("p", 0),
        with("N", std::uint64_t{1} << 40), with("p", 1000000000), with("data", "AAAA"), with("N", "32768")}) {
    const auto key = open_key_file(bad, "volback-test");
    ASSERT_FALSE(key) << bad;
    EXPECT_EQ(key.error().kind(), util::ErrorKind::corrupt) << bad;
  }
}

TEST(ResticKeyFile, RefusesASealedMasterKeyThatIsNotTheKeyJson) {
  const auto master = MasterKey::generate();
  ASSERT_TRUE(master);
  // Seal garbage under a user key the way make_key_file seals the master key.
  std::string salt(64, 's');
  const auto derived = crypto::scrypt("pw", salt, k_cheap, 64);
  ASSERT_TRUE(derived);
  const auto user_key = MasterKey::from_derived(derived->span());
  ASSERT_TRUE(user_key);
  for (const std::string& plaintext :
       {std::string("{}"), std::string(R"({"mac":{"k":"AA==","r":"AA=="},"encrypt":""})"), std::string("\x01\x02")}) {
    const auto sealed = seal(*user_key, plaintext);
    ASSERT_TRUE(sealed);
    nlohmann::json json{{"created", "x"},
                        {"kdf", "scrypt"},
                        {"N", 1024},
                        {"r", 8},
                        {"p", 1},
                        {"salt", util::base64_encode(salt)},
                        {"data", util::base64_encode(*sealed)}};
    const auto key = open_key_file(json.dump(), "pw");
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().kind(), util::ErrorKind::corrupt);
  }
}

}  // namespace
}  // namespace volback::restic
