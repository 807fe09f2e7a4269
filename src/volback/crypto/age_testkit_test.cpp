// age's published test vectors (testdata/age, from C2SP/CCTV): every file is decrypted with
// the identities and passphrases its header names, and the outcome is checked: success
// with the payload's SHA-256, or the failure it expects (a header, HMAC, payload or armor
// failure, or no match), with the plaintext released before a payload failure matching.

#include <zlib.h>

#include <filesystem>
#include <map>
#include <optional>

#include <gtest/gtest.h>

#include <volback/crypto/age_armor.hpp>
#include <volback/crypto/age_scrypt.hpp>
#include <volback/crypto/age_stream.hpp>
#include <volback/crypto/age_x25519.hpp>
#include <volback/crypto/test_support.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::crypto {
namespace {

using testing::read_all;
using testing::read_file;
using testing::sha256_hex;

struct Vector {
  std::string name;
  std::multimap<std::string, std::string> fields;
  std::string body;
};

std::string inflate_all(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit(&zs), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buffer[65536];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = inflate(&zs, Z_NO_FLUSH);
    EXPECT_TRUE(rc == Z_OK || rc == Z_STREAM_END) << rc;
    if (rc != Z_OK && rc != Z_STREAM_END) {
      break;
    }
    out.append(buffer, sizeof buffer - zs.avail_out);
  }
  inflateEnd(&zs);
  return out;
}

Vector load(const std::filesystem::path& path) {
  Vector v;
  v.name = path.filename().string();
  const std::string text = read_file(path.string());
  std::size_t at = 0;
  for (;;) {
    const auto end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    if (line.empty()) {
      break;
    }
    const auto colon = line.find(": ");
    v.fields.emplace(line.substr(0, colon), line.substr(colon + 2));
  }
  v.body = text.substr(at);
  if (v.fields.count("compressed") > 0) {
    v.body = inflate_all(v.body);
  }
  return v;
}

std::vector<std::filesystem::path> vector_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(testing::testdata("age"))) {
    const auto name = entry.path().filename().string();
    if (name != "LICENSE" && name != "README.md") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class AgeTestkit : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(AgeTestkit, DecryptsAsExpected) {
  const Vector v = load(GetParam());
  const std::string expect = v.fields.find("expect")->second;
  AgeIdentities identities;
  for (auto [it, end] = v.fields.equal_range("identity"); it != end; ++it) {
    auto identity = parse_age_x25519_identity(it->second);
    ASSERT_TRUE(identity) << identity.error().message();
    identities.push_back(*identity);
  }
  for (auto [it, end] = v.fields.equal_range("passphrase"); it != end; ++it) {
    identities.push_back(make_age_scrypt_identity(it->second));
  }
  io::MemorySource raw(v.body, 1000);
  std::optional<AgeArmorSource> armor;
  io::Source* in = &raw;
  if (v.fields.count("armored") > 0) {
    armor.emplace(raw);
    in = &*armor;
  }
  auto source = AgeDecryptSource::open(*in, identities);
  std::string plain;
  util::Result<void> read;
  if (source) {
    read = read_all(**source, plain);
  }
  const std::string open_error = source ? "" : source.error().message();
  const std::string read_error = read ? "" : read.error().message();
  SCOPED_TRACE(v.name + ": expect " + expect + "; open: " + open_error + "; read: " + read_error);
  if (expect == "success") {
    ASSERT_TRUE(source);
    ASSERT_TRUE(read);
    EXPECT_EQ(sha256_hex(plain), v.fields.find("payload")->second);
  } else if (expect == "no match") {
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().kind(), util::ErrorKind::auth);
  } else if (expect == "HMAC failure") {
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().kind(), util::ErrorKind::corrupt);
    EXPECT_NE(open_error.find("MAC does not match"), std::string::npos);
  } else if (expect == "header failure") {
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().kind(), util::ErrorKind::corrupt);
    EXPECT_EQ(open_error.find("MAC does not match"), std::string::npos);
  } else if (expect == "payload failure") {
    ASSERT_TRUE(source);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().kind(), util::ErrorKind::corrupt);
    EXPECT_EQ(sha256_hex(plain), v.fields.find("payload")->second);
  } else if (expect == "armor failure") {
    ASSERT_FALSE(source && read);
    const auto& error = source ? read.error() : source.error();
    EXPECT_EQ(error.kind(), util::ErrorKind::corrupt);
    EXPECT_NE(error.message().find("armor"), std::string::npos);
  } else {
    FAIL() << "unknown expectation";
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, AgeTestkit, ::testing::ValuesIn(vector_files()),
                         [](const ::testing::TestParamInfo<std::filesystem::path>& param_info) {
                           std::string name = param_info.param.filename().string();
                           for (auto& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) {
                               c = '_';
                             }
                           }
                           return name;
                         });

}  // namespace
}  // namespace volback::crypto
