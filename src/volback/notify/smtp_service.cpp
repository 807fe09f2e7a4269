// smtp://[user:password@]host[:port]/?fromaddress=&toaddresses=a,b&fromname=&subject=
//   &auth=&encryption=&usestarttls=&requirestarttls=&usehtml=&clienthost=&skiptlsverify=
//   &timeout=
// shoutrrr's smtp: one mail per recipient, From "fromname <fromaddress>", To the
// recipient, Subject the title (the URL's `subject` when there is none), the body as
// UTF-8 text (also HTML with usehtml=yes). Port 25 by default; encryption=ImplicitTLS (or
// Auto on port 465) speaks TLS from the start, otherwise STARTTLS is used when the server
// offers it (usestarttls=no never uses it; requirestarttls=yes fails without it). auth is
// None, Plain, Login, CRAMMD5 or OAuth2 (Unknown: Plain with a user, else None). Like Go's
// PLAIN authentication, volback never sends a password in clear text to a host other
// than localhost: without TLS that is refused at validation, and STARTTLS becomes
// required. Aliases: from, to, title, starttls.

#include <charconv>
#include <random>

#include <fmt/format.h>

#include <volback/notify/http_call.hpp>
#include <volback/notify/mail_format.hpp>
#include <volback/notify/services.hpp>
#include <volback/util/duration.hpp>

namespace volback::notify {

namespace {

bool is_local(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1";
}

class SmtpService final : public Service {
 public:
  std::string_view scheme() const override { return "smtp"; }
  std::string describe() const override {
    return fmt::format("smtp at {}:{} ({} recipients)", m_server.host, m_server.port, m_to.size());
  }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    std::random_device random;
    for (const auto& to : m_to) {
      MailContent content{
        .from_address = m_from,
        .from_name = m_from_name,
        .to = to,
        .subject = message.title.empty() ? m_subject : message.title,
        .body = message.body,
        .html = m_html,
        .message_id = fmt::format("<volback.{:016x}.{:08x}@{}>", context.clock.now().time_since_epoch().count(),
                                  random(), m_server.client_host)};
      auto sent = context.mail.send(m_server, MailEnvelope{m_from, {to}}, format_mail(content, context.clock.now()));
      if (!sent) {
        return util::fail(sent.error().kind(), fmt::format("{}: {}", describe(), sent.error().message()));
      }
    }
    return {};
  }

  SmtpServer m_server;
  std::string m_from;
  std::string m_from_name;
  std::vector<std::string> m_to;
  std::string m_subject = "Shoutrrr Notification";
  bool m_html = false;
};

util::Result<bool> flag(const ServiceUrl& url, std::initializer_list<std::string_view> keys, bool fallback) {
  for (const auto key : keys) {
    if (const auto value = url.param(key)) {
      const auto b = parse_shoutrrr_bool(*value);
      if (!b) {
        return util::fail(util::ErrorKind::invalid_argument, fmt::format("{} must be yes or no", key));
      }
      return *b;
    }
  }
  return fallback;
}

std::optional<std::string> first_param(const ServiceUrl& url, std::initializer_list<std::string_view> keys) {
  for (const auto key : keys) {
    if (auto value = url.param(key)) {
      return value;
    }
  }
  return std::nullopt;
}

// '+' in an address arrives as a space from the query (shoutrrr's FixEmailTags).
std::string fix_address(std::string address) {
  for (auto& c : address) {
    if (c == ' ') {
      c = '+';
    }
  }
  return address;
}

}  // namespace

util::Result<std::unique_ptr<Service>> parse_smtp(const ServiceUrl& url) {
  VOLBACK_TRY(check_params(
    url, {"fromaddress", "from", "fromname", "toaddresses", "to", "subject", "title", "auth", "encryption",
          "usestarttls", "starttls", "usehtml", "clienthost", "requirestarttls", "skiptlsverify", "timeout"}));
  auto service = std::make_unique<SmtpService>();
  SmtpServer& server = service->m_server;
  server.host = url.host;
  if (server.host.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the server's host");
  }
  server.port = url.port.value_or(25);
  server.username = url.user.value_or("");
  server.password = url.password.value_or("");
  service->m_from = fix_address(first_param(url, {"fromaddress", "from"}).value_or(""));
  if (service->m_from.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "fromaddress missing (?fromaddress=…)");
  }
  for (auto& to : split_list(first_param(url, {"toaddresses", "to"}).value_or(""))) {
    service->m_to.push_back(fix_address(std::move(to)));
  }
  if (service->m_to.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "toaddresses missing (?toaddresses=a@example.com,…)");
  }
  for (const auto& address : service->m_to) {
    if (address.find_first_of("\r\n<>") != std::string::npos) {
      return util::fail(util::ErrorKind::invalid_argument, "a recipient address holds a forbidden character");
    }
  }
  service->m_from_name = url.param("fromname").value_or("");
  if (auto subject = first_param(url, {"subject", "title"})) {
    service->m_subject = std::move(*subject);
  }
  VOLBACK_TRY_ASSIGN(service->m_html, flag(url, {"usehtml"}, false));
  server.client_host = url.param("clienthost").value_or("localhost");
  if (server.client_host == "auto") {
    server.client_host = "localhost";
  }
  VOLBACK_TRY_ASSIGN(const bool skip_verify, flag(url, {"skiptlsverify"}, false));
  server.verify_tls = !skip_verify;
  if (const auto timeout = url.param("timeout")) {
    auto parsed = util::parse_go_duration(*timeout);
    if (!parsed || parsed->count() <= 0) {
      return util::fail(util::ErrorKind::invalid_argument, "timeout must be a positive Go duration (10s)");
    }
    server.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*parsed);
  }

  const std::string auth = ascii_lower(url.param("auth").value_or("unknown"));
  if (auth == "none") {
    server.auth = SmtpAuth::none;
  } else if (auth == "plain") {
    server.auth = SmtpAuth::plain;
  } else if (auth == "login") {
    server.auth = SmtpAuth::login;
  } else if (auth == "crammd5") {
    server.auth = SmtpAuth::cram_md5;
  } else if (auth == "oauth2") {
    server.auth = SmtpAuth::oauth2;
  } else if (auth == "unknown") {
    server.auth = server.username.empty() ? SmtpAuth::none : SmtpAuth::plain;
  } else {
    return util::fail(util::ErrorKind::invalid_argument, "auth must be None, Plain, Login, CRAMMD5, OAuth2 or Unknown");
  }

  const std::string encryption = ascii_lower(url.param("encryption").value_or("auto"));
  bool implicit = false;
  if (encryption == "implicittls") {
    implicit = true;
  } else if (encryption == "auto") {
    implicit = server.port == 465;
  } else if (encryption != "none" && encryption != "explicittls") {
    return util::fail(util::ErrorKind::invalid_argument, "encryption must be None, ExplicitTLS, ImplicitTLS or Auto");
  }
  VOLBACK_TRY_ASSIGN(const bool use_starttls, flag(url, {"usestarttls", "starttls"}, true));
  VOLBACK_TRY_ASSIGN(const bool require_starttls, flag(url, {"requirestarttls"}, false));
  if (implicit) {
    server.security = SmtpSecurity::implicit_tls;
  } else if (!use_starttls) {
    server.security = SmtpSecurity::none;
  } else {
    server.security = require_starttls ? SmtpSecurity::starttls : SmtpSecurity::try_starttls;
  }
  const bool clear_password = server.auth == SmtpAuth::plain || server.auth == SmtpAuth::login;
  if (clear_password && !is_local(server.host)) {
    if (server.security == SmtpSecurity::none) {
      return util::fail(util::ErrorKind::invalid_argument,
                        "refusing to send the password unencrypted to a remote server (use STARTTLS or ImplicitTLS)");
    }
    if (server.security == SmtpSecurity::try_starttls) {
      server.security = SmtpSecurity::starttls;
    }
  }
  if (const auto override = url.param(k_api_override_param)) {
    // volback_api=smtp://host:port points the mail elsewhere (tests).
    auto parsed = parse_service_url(*override);
    if (!parsed || parsed->host.empty()) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("{} must be smtp://host:port", k_api_override_param));
    }
    server.host = parsed->host;
    server.port = parsed->port.value_or(server.port);
  }
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
