#include <volback/util/terminal_text.hpp>

#include <string>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

TEST(EscapeForTerminal, PrintableTextIsUnchanged) {
  for (const std::string_view text :
       {"", "backup-2026-11-26T03-00-00.tar.gz", "a b ~!@#$%^&*()_+{}|:\"<>?", "Ünïcödé 名前 😀", "\xc2\xa0nbsp"}) {
    EXPECT_EQ(escape_for_terminal(text), text);
  }
}

TEST(EscapeForTerminal, LineBreaksAndTabs) {
  EXPECT_EQ(escape_for_terminal("a\nb\rc\td"), "a\\nb\\rc\\td");
}

TEST(EscapeForTerminal, OtherC0AndDel) {
  EXPECT_EQ(escape_for_terminal("\x1b[2J\x1b]0;title\x07"), "\\x1b[2J\\x1b]0;title\\x07");
  EXPECT_EQ(escape_for_terminal(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(escape_for_terminal("\x7f\x08\x1f"), "\\x7f\\x08\\x1f");
}

TEST(EscapeForTerminal, BackslashIsEscapedSoEscapesAreUnambiguous) {
  EXPECT_EQ(escape_for_terminal("a\\x1b"), "a\\\\x1b");
  EXPECT_NE(escape_for_terminal("\\x1b"), escape_for_terminal("\x1b"));
}

TEST(EscapeForTerminal, C1Controls) {
  EXPECT_EQ(escape_for_terminal("\xc2\x9b"
                                "2J"),
            "\\u009b2J");  // CSI
  EXPECT_EQ(escape_for_terminal("\xc2\x80\xc2\x9f"), "\\u0080\\u009f");
}

TEST(EscapeForTerminal, BidiAndLineSeparators) {
  EXPECT_EQ(escape_for_terminal("a\xe2\x80\xae"
                                "cba"),
            "a\\u202ecba");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(escape_for_terminal("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u2066x\\u2069");
  EXPECT_EQ(escape_for_terminal("\xe2\x80\xa8\xe2\x80\xa9"), "\\u2028\\u2029");
  EXPECT_EQ(escape_for_terminal("\xe2\x80\x8e\xe2\x80\x8f"), "\\u200e\\u200f");
}

TEST(EscapeForTerminal, InvalidUtf8ByteByByte) {
  EXPECT_EQ(escape_for_terminal("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(escape_for_terminal("a\x80z"), "a\\x80z");                         // stray continuation byte
  EXPECT_EQ(escape_for_terminal("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(escape_for_terminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(escape_for_terminal("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(escape_for_terminal("ok\xe2\x82"), "ok\\xe2\\x82");                // truncated at the end
  EXPECT_EQ(escape_for_terminal("\xe2\x82z"), "\\xe2\\x82z");                  // truncated in the middle
}

TEST(EscapeForTerminal, OutputIsOneLineOfPrintableAscii) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) {
    every_byte += static_cast<char>(b);
  }
  const std::string out = escape_for_terminal(every_byte);
  for (const char c : out) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u >= 0x20 && u < 0x7f) << "byte " << static_cast<int>(u);
  }
}

}  // namespace
}  // namespace volback::util
