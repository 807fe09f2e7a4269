#include <volback/notify/mail_format.hpp>

#include <gtest/gtest.h>

namespace volback::notify {
namespace {

TEST(MailFormatTest, QuotedPrintable) {
  EXPECT_EQ(quoted_printable("plain"), "plain");
  EXPECT_EQ(quoted_printable("a=b é\nend \n"), "a=3Db =C3=A9\r\nend=20\r\n");
  const std::string long_line(100, 'x');
  const auto encoded = quoted_printable(long_line);
  EXPECT_EQ(encoded, std::string(75, 'x') + "=\r\n" + std::string(25, 'x'));
}

TEST(MailFormatTest, HeaderWords) {
  EXPECT_EQ(encode_mail_header("Backup ok"), "Backup ok");
  EXPECT_EQ(encode_mail_header("✅ ok"), "=?UTF-8?B?4pyFIG9r?=");
}

TEST(MailFormatTest, WholeMessage) {
  const MailContent content{
    .from_address = "a@x", .to = "b@x", .subject = "S", .body = "hello\n", .message_id = "<id@localhost>"};
  EXPECT_EQ(format_mail(content, util::TimePoint{}),
            "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\nFrom: <a@x>\r\nTo: b@x\r\nSubject: S\r\n"
            "Message-ID: <id@localhost>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            "hello\r\n\r\n");
}

}  // namespace
}  // namespace volback::notify
