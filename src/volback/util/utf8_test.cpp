#include <volback/util/go_quote.hpp>
#include <volback/util/utf8.hpp>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

TEST(Utf8Test, DecodesAndEncodesRunes) {
  EXPECT_EQ(decode_utf8("a").rune, U'a');
  const auto euro = decode_utf8("\xe2\x82\xac!");
  EXPECT_EQ(euro.rune, U'€');
  EXPECT_EQ(euro.width, 3U);
  EXPECT_TRUE(euro.valid);
  const auto bad = decode_utf8("\xff");
  EXPECT_FALSE(bad.valid);
  EXPECT_EQ(bad.rune, 0xFFFDU);
  std::string out;
  append_utf8(out, U'€');
  append_utf8(out, U'😀');
  EXPECT_EQ(out, "€😀");
  EXPECT_EQ(utf8_rune_count("a€😀\xff"), 4U);
}

TEST(Utf8Test, GoIsPrint) {
  EXPECT_TRUE(go_is_print(U'a'));
  EXPECT_FALSE(go_is_print(U'\n'));
  EXPECT_FALSE(go_is_print(0x7F));
  EXPECT_TRUE(go_is_print(U'é'));
  EXPECT_FALSE(go_is_print(0x200B));  // zero-width space
}

TEST(GoQuoteTest, QuotesAsStrconvQuote) {
  EXPECT_EQ(go_quote("plain"), "\"plain\"");
  EXPECT_EQ(go_quote("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
  EXPECT_EQ(go_quote("\x01\x7f\xff"), "\"\\x01\\x7f\\xff\"");
  EXPECT_EQ(go_quote("é\u200b"), "\"é\\u200b\"");
}

}  // namespace
}  // namespace volback::util
