#pragma once
// E-mail for the smtp:// service: the message (RFC 5322 text) and the transport that
// hands it to an SMTP server. The curl implementation speaks SMTP with STARTTLS or
// implicit TLS and AUTH PLAIN, LOGIN, CRAM-MD5 or XOAUTH2; tests use a fake.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::notify {

enum class SmtpSecurity {
  none,          // plain SMTP, never STARTTLS
  try_starttls,  // STARTTLS when the server offers it, else plain (shoutrrr's default)
  starttls,      // STARTTLS or fail (requirestarttls=yes)
  implicit_tls,  // TLS from the first byte (smtps, port 465)
};

enum class SmtpAuth { none, plain, login, cram_md5, oauth2 };

struct SmtpServer {
  std::string host;
  int port = 25;
  SmtpSecurity security = SmtpSecurity::try_starttls;
  SmtpAuth auth = SmtpAuth::none;
  std::string username;
  std::string password;                   // or the OAuth2 token
  std::string client_host = "localhost";  // the EHLO name
  bool verify_tls = true;
  std::chrono::milliseconds timeout{10'000};  // one transaction (the URL's `timeout`)
};

struct MailEnvelope {
  std::string from;             // MAIL FROM
  std::vector<std::string> to;  // RCPT TO
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Delivers `message` (CRLF line ends, headers included) to the envelope's recipients
  // in one transaction. Errors: transient for connection problems, timeouts and 4xx
  // replies; auth for refused credentials; permanent for TLS failures and 5xx replies.
  // Messages never contain the password.
  virtual util::Result<void> send(const SmtpServer& server, const MailEnvelope& envelope,
                                  const std::string& message) = 0;
};

// The libcurl implementation. `budget` bounds every send of this transport together
// (VOLBACK_NOTIFY_TIMEOUT's time left): each transaction waits at most the lesser of the
// server's own timeout (the URL's `timeout`) and what is left of the budget; once the
// budget is spent, send() fails at once with a transient error.
std::unique_ptr<MailTransport> make_curl_mail_transport(std::chrono::milliseconds budget);

}  // namespace volback::notify
