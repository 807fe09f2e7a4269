#include <volback/notify/mail.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

namespace volback::notify {

namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Upload {
  const std::string* text = nullptr;
  std::size_t offset = 0;
};

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& up = *static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, up.text->size() - up.offset);
  std::memcpy(buffer, up.text->data() + up.offset, n);
  up.offset += n;
  return n;
}

std::string_view login_options(SmtpAuth auth) {
  switch (auth) {
  case SmtpAuth::plain: return "AUTH=PLAIN";
  case SmtpAuth::login: return "AUTH=LOGIN";
  case SmtpAuth::cram_md5: return "AUTH=CRAM-MD5";
  case SmtpAuth::oauth2: return "AUTH=XOAUTH2";
  case SmtpAuth::none: return "";
  }
  return "";
}

util::ErrorKind kind_of(CURLcode code, long reply) {
  switch (code) {
  case CURLE_LOGIN_DENIED: return util::ErrorKind::auth;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING: return util::ErrorKind::transient;
  default: break;
  }
  if (reply >= 400 && reply < 500) {
    return util::ErrorKind::transient;
  }
  return util::ErrorKind::permanent;
}

util::Error budget_spent() {
  return util::Error(util::ErrorKind::transient, "sending the mail failed: the notification timeout ran out");
}

class CurlMailTransport final : public MailTransport {
 public:
  explicit CurlMailTransport(std::chrono::milliseconds budget)
    : m_deadline(std::chrono::steady_clock::now() + budget) {}

  util::Result<void> send(const SmtpServer& server, const MailEnvelope& envelope, const std::string& message) override {
    const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return util::fail(budget_spent());
    }
    const long timeout_ms = static_cast<long>(std::min(server.timeout, left).count());
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
    if (!handle) {
      return util::fail(util::ErrorKind::permanent, "libcurl could not be initialised");
    }
    CURL* h = handle.get();
    const bool ipv6 = server.host.find(':') != std::string::npos;
    const std::string url =
      fmt::format("{}://{}{}{}:{}/{}", server.security == SmtpSecurity::implicit_tls ? "smtps" : "smtp",
                  ipv6 ? "[" : "", server.host, ipv6 ? "]" : "", server.port, server.client_host);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    switch (server.security) {
    case SmtpSecurity::none: curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE)); break;
    case SmtpSecurity::try_starttls: curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY)); break;
    case SmtpSecurity::starttls:
    case SmtpSecurity::implicit_tls: curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL)); break;
    }
    if (!server.verify_tls) {
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    const std::string options(login_options(server.auth));
    if (server.auth != SmtpAuth::none) {
      curl_easy_setopt(h, CURLOPT_USERNAME, server.username.c_str());
      if (server.auth == SmtpAuth::oauth2) {
        curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, server.password.c_str());
      } else {
        curl_easy_setopt(h, CURLOPT_PASSWORD, server.password.c_str());
      }
      curl_easy_setopt(h, CURLOPT_LOGIN_OPTIONS, options.c_str());
    }
    const std::string from = "<" + envelope.from + ">";
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_slist* raw = nullptr;
    for (const auto& to : envelope.to) {
      raw = curl_slist_append(raw, ("<" + to + ">").c_str());
    }
    std::unique_ptr<curl_slist, SlistDeleter> recipients(raw);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
    Upload upload{&message, 0};
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    char error_buffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    const CURLcode code = curl_easy_perform(h);
    if (code == CURLE_OK) {
      return {};
    }
    if (code == CURLE_OPERATION_TIMEDOUT && left < server.timeout) {
      // The budget, not the server's own timeout, ended the wait: say which one did.
      return util::fail(budget_spent());
    }
    long reply = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
    std::string detail = error_buffer[0] != '\0' ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
    if (reply > 0) {
      detail += fmt::format(" (last reply {})", reply);
    }
    return util::fail(kind_of(code, reply), fmt::format("sending the mail failed: {}", detail));
  }

 private:
  std::chrono::steady_clock::time_point m_deadline;
};

}  // namespace

std::unique_ptr<MailTransport> make_curl_mail_transport(std::chrono::milliseconds budget) {
  return std::make_unique<CurlMailTransport>(budget);
}

}  // namespace volback::notify
