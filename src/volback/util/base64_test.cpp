#include <volback/util/base64.hpp>

#include <array>
#include <utility>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain, Padding::yes), encoded);
    EXPECT_EQ(base64_decode(encoded, Padding::yes), plain);
    std::string unpadded = encoded;
    while (!unpadded.empty() && unpadded.back() == '=') {
      unpadded.pop_back();
    }
    EXPECT_EQ(base64_encode(plain, Padding::no), unpadded);
    EXPECT_EQ(base64_decode(unpadded, Padding::no), plain);
  }
}

TEST(Base64, RefusesWhatIsNotCanonical) {
  EXPECT_FALSE(base64_decode("Zh", Padding::no));      // unused bits set
  EXPECT_FALSE(base64_decode("Zg==", Padding::no));    // padding where none is allowed
  EXPECT_FALSE(base64_decode("Zg", Padding::yes));     // padding missing
  EXPECT_FALSE(base64_decode("Z", Padding::no));       // no encoding has this length
  EXPECT_FALSE(base64_decode("Zm9v\n", Padding::no));  // a line end
  EXPECT_FALSE(base64_decode("Zm 9v", Padding::no));
  EXPECT_FALSE(base64_decode("Zm9v-_", Padding::no));  // the URL alphabet
}

TEST(Base64, BytesAndTheDefaultPadding) {
  EXPECT_EQ(base64_encode("\xff\xfe"), "//4=");
  const std::array<unsigned char, 3> bytes{0xfb, 0xff, 0x00};
  EXPECT_EQ(base64_encode(std::span<const unsigned char>(bytes)), "+/8A");
}

}  // namespace
}  // namespace volback::util
