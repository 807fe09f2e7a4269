#pragma once
// The text of an e-mail (RFC 5322 with MIME): headers, then the body as quoted-printable
// UTF-8 text, with CRLF line ends. Pure.

#include <optional>
#include <string>
#include <string_view>

#include <volback/util/clock.hpp>

namespace volback::notify {

struct MailContent {
  std::string from_address;
  std::string from_name;  // may be empty
  std::string to;         // the To header
  std::string subject;
  std::string body;        // UTF-8 text, LF or CRLF line ends
  bool html = false;       // also send the body as HTML (<pre>…</pre>), multipart/alternative
  std::string message_id;  // "<…@…>"
  std::string boundary = "volback-alternative";
};

// The message, ready for SMTP's DATA. `date` is its Date header (in UTC).
std::string format_mail(const MailContent& content, util::TimePoint date);

// Quoted-printable (RFC 2045) of UTF-8 text: lines of at most 76 characters, CRLF ends.
std::string quoted_printable(std::string_view text);

// A header's display name or subject as RFC 2047 encoded words when it is not plain
// ASCII; plain text unchanged.
std::string encode_mail_header(std::string_view text);

}  // namespace volback::notify
