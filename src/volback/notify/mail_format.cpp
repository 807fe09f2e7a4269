#include <volback/notify/mail_format.hpp>

#include <fmt/format.h>

#include <volback/notify/go_time.hpp>
#include <volback/notify/html_escape.hpp>
#include <volback/util/base64.hpp>
#include <volback/util/utf8.hpp>

namespace volback::notify {

namespace {

bool plain_ascii(std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string encode_mail_header(std::string_view text) {
  if (plain_ascii(text)) {
    return std::string(text);
  }
  // Encoded words of at most 75 characters: cut the text at rune boundaries into chunks
  // of 45 bytes (60 base64 characters).
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t end = i;
    while (end < text.size()) {
      const std::size_t width = util::decode_utf8(text.substr(end)).width;
      if (end + width - i > 45) {
        break;
      }
      end += width;
    }
    if (!out.empty()) {
      out += "\r\n ";
    }
    out += "=?UTF-8?B?" + util::base64_encode(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    std::string encoded;
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      std::string piece;
      if (c == '=' || c >= 0x7f || (c < 0x20 && c != '\t') || ((c == ' ' || c == '\t') && last)) {
        piece = fmt::format("={:02X}", c);
      } else {
        piece = std::string(1, static_cast<char>(c));
      }
      if (column + piece.size() > 75) {
        encoded += "=\r\n";
        column = 0;
      }
      encoded += piece;
      column += piece.size();
    }
    out += encoded;
    if (nl == std::string_view::npos) {
      break;
    }
    out += "\r\n";
    start = nl + 1;
  }
  return out;
}

std::string format_mail(const MailContent& c, util::TimePoint date) {
  std::string out;
  out += "Date: " + format_go_time(date, util::TimeZone::utc(), "Mon, 02 Jan 2006 15:04:05 -0700") + "\r\n";
  if (c.from_name.empty()) {
    out += "From: <" + c.from_address + ">\r\n";
  } else {
    out += "From: " + encode_mail_header(c.from_name) + " <" + c.from_address + ">\r\n";
  }
  out += "To: " + c.to + "\r\n";
  out += "Subject: " + encode_mail_header(c.subject) + "\r\n";
  if (!c.message_id.empty()) {
    out += "Message-ID: " + c.message_id + "\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  const std::string plain_headers =
    "Content-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n";
  if (!c.html) {
    out += plain_headers + "\r\n";
    out += quoted_printable(c.body);
    out += "\r\n";
    return out;
  }
  out += "Content-Type: multipart/alternative; boundary=\"" + c.boundary + "\"\r\n\r\n";
  out += "--" + c.boundary + "\r\n" + plain_headers + "\r\n" + quoted_printable(c.body) + "\r\n";
  out += "--" + c.boundary + "\r\n" +
         "Content-Type: text/html; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
         quoted_printable("<pre>" + html_escape(c.body) + "</pre>") + "\r\n";
  out += "--" + c.boundary + "--\r\n";
  return out;
}

}  // namespace volback::notify
