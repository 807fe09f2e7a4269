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

TEST(GoQuoteTest, UnquotesAsStrconvUnquote) {
  EXPECT_EQ(go_unquote(R"("")").value(), "");
  EXPECT_EQ(go_unquote(R"("plain")").value(), "plain");
  EXPECT_EQ(go_unquote(R"("a\"b\\c\n\t\a\b\f\r\v")").value(), "a\"b\\c\n\t\a\b\f\r\v");
  EXPECT_EQ(go_unquote(R"("\x01\x7f\xff\xFF")").value(), "\x01\x7f\xff\xff");
  EXPECT_EQ(go_unquote(R"("\u00e9\u200b\U0001F600\u0000")").value(), std::string("é\u200b\U0001F600\0", 10));
  EXPECT_EQ(go_unquote(R"("\101\000\377")").value(), std::string("A\0\xff", 3));
  EXPECT_EQ(go_unquote("\"é😀\ttab\"").value(), "é😀\ttab");  // a raw tab is allowed
  EXPECT_EQ(go_unquote("\"bad\xff"
                       "byte\"")
              .value(),
            "bad\uFFFDbyte");
}

TEST(GoQuoteTest, UnquoteInvertsQuote) {
  const std::string every_byte = [] {
    std::string s;
    for (int c = 0; c < 256; ++c) {
      s += static_cast<char>(c);
    }
    return s;
  }();
  for (const std::string_view text :
       {std::string_view("bad\xffname"), std::string_view("tab\tname"), std::string_view("a\\b"),
        std::string_view("ctl\x01x"), std::string_view("nb\u00a0sp"), std::string_view("😀 \u2028 \xed\xa0\x80"),
        std::string_view(every_byte)}) {
    EXPECT_EQ(go_unquote(go_quote(text)).value(), text) << go_quote(text);
  }
}

TEST(GoQuoteTest, UnquoteRefusesWhatGoRefuses) {
  for (const std::string_view bad : {std::string_view(""),
                                     std::string_view("\""),
                                     std::string_view("plain"),
                                     std::string_view("'a'"),
                                     std::string_view("`a`"),
                                     std::string_view("\"a"),
                                     std::string_view("a\""),
                                     std::string_view("\"a\"b\""),
                                     std::string_view("\"\\\""),
                                     std::string_view("\"new\nline\""),
                                     std::string_view("\"\\q\""),
                                     std::string_view("\"\\'\""),
                                     std::string_view("\"\\x1\""),
                                     std::string_view("\"\\xg0\""),
                                     std::string_view("\"\\u12\""),
                                     std::string_view("\"\\ud800\""),
                                     std::string_view("\"\\U00110000\""),
                                     std::string_view("\"\\400\""),
                                     std::string_view("\"\\18\""),
                                     std::string_view("\"\\1\""),
                                     std::string_view("\"\\\"")}) {
    const auto result = go_unquote(bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().kind(), ErrorKind::corrupt);
  }
}

}  // namespace
}  // namespace volback::util
