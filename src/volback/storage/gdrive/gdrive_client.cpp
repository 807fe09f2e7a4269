#include <volback/storage/gdrive/gdrive_client.hpp>

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include <volback/storage/gdrive/gdrive_json.hpp>
#include <volback/storage/retry_policy.hpp>

namespace volback::storage::gdrive {

namespace {

constexpr std::string_view k_jwt_grant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
// A token is replaced this long before Google says it expires.
constexpr std::chrono::seconds k_token_margin{60};
constexpr std::chrono::seconds k_max_retry_after{60};

std::string detail_of(const http::Response& response) {
  const auto detail = parse_error_detail(response.body);
  std::string out = detail.reason;
  if (!detail.message.empty()) {
    out += (out.empty() ? "" : ": ") + detail.message;
  }
  return out;
}

// Reads the whole answer into `body`, refusing more than k_max_reply_bytes.
http::ResponseSink bounded_body(std::string& body) {
  return [&body](std::span<const std::byte> chunk) -> util::Result<void> {
    if (body.size() + chunk.size() > k_max_reply_bytes) {
      return util::fail(util::ErrorKind::permanent, "Google Drive's answer is larger than 16 MiB");
    }
    body.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return {};
  };
}

}  // namespace

util::Error classify_drive_response(const http::Response& response, std::string_view what) {
  const long status = response.status;
  const auto detail = parse_error_detail(response.body);
  util::ErrorKind kind = util::ErrorKind::permanent;
  if (status >= 500 || status == 408 || status == 429 ||
      (status == 403 && (detail.reason == "rateLimitExceeded" || detail.reason == "userRateLimitExceeded"))) {
    kind = util::ErrorKind::transient;
  } else if (status == 401 || status == 403) {
    kind = util::ErrorKind::auth;
  } else if (status == 404) {
    kind = util::ErrorKind::not_found;
  }
  const std::string text = detail_of(response);
  return util::Error(kind, fmt::format("Google Drive {}: HTTP {}{}{}", what, status, text.empty() ? "" : " ", text));
}

GdriveClient::GdriveClient(const GdriveSettings& settings, const util::Clock& clock, const util::CancelToken& cancel,
                           util::Logger& log, TransportFactory transports)
  : m_settings(settings), m_clock(clock), m_cancel(cancel), m_log(log), m_transports(std::move(transports)) {
  if (!m_transports) {
    m_transports = [verify = settings.verify_tls](const util::CancelToken* token) {
      http::TransportOptions options;
      options.cancel = token;
      options.verify_tls = verify;
      return http::make_curl_transport(std::move(options));
    };
  }
}

std::unique_ptr<http::Transport> GdriveClient::make_transport(Cancellation cancellation) const {
  return m_transports(cancellation == Cancellation::honour ? &m_cancel : nullptr);
}

std::string GdriveClient::url(std::string_view base, std::string_view path, const QueryParams& query) {
  std::string out = std::string(base) + std::string(path);
  for (std::size_t i = 0; i < query.size(); ++i) {
    out += (i == 0 ? "?" : "&") + http::url_encode(query[i].first, http::Slash::encode) + "=" +
           http::url_encode(query[i].second, http::Slash::encode);
  }
  return out;
}

util::Result<std::string> GdriveClient::fetch_token(http::Transport& transport) {
  const auto now = m_clock.now();
  AssertionClaims claims;
  claims.issuer = m_settings.account.client_email;
  claims.audience = m_settings.token_url;
  claims.subject = m_settings.subject;
  claims.issued_at = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  VOLBACK_TRY_ASSIGN(const std::string assertion, make_assertion(m_settings.account, claims));
  http::Request request;
  request.method = "POST";
  request.url = m_settings.token_url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = "grant_type=" + http::url_encode(k_jwt_grant, http::Slash::encode) +
                 "&assertion=" + http::url_encode(assertion, http::Slash::encode);
  const auto attempt = [&]() -> util::Result<AccessToken> {
    std::string body;
    const auto sink = bounded_body(body);
    VOLBACK_TRY_ASSIGN(auto response, transport.send(request, &sink));
    response.body = std::move(body);
    if (response.status == 200) {
      return parse_access_token(response.body);
    }
    auto error = classify_drive_response(response, "token request");
    if (response.status == 400 || response.status == 401 || response.status == 403) {
      // invalid_grant (a bad signature, an unknown account, a subject it may not act
      // for), unauthorized_client: no retry helps.
      return util::fail(util::Error(util::ErrorKind::auth, error.message()));
    }
    if (error.kind() == util::ErrorKind::transient) {
      honour_retry_after(response);
    }
    return util::fail(std::move(error));
  };
  VOLBACK_TRY_ASSIGN(const auto token, retry_value<AccessToken>(m_settings.retry, m_cancel,
                                                                RetryLog{m_log, "Retrying Google Drive request"},
                                                                "token request", attempt));
  m_token = token.value;
  const auto lifetime = std::chrono::seconds(token.expires_in);
  m_token_refresh_at = now + (lifetime > 2 * k_token_margin ? lifetime - k_token_margin : lifetime / 2);
  m_log.debug("Obtained a Google Drive access token", {{"expires_in", token.expires_in}});
  return m_token;
}

util::Result<std::string> GdriveClient::token(http::Transport& transport) {
  std::lock_guard lock(m_token_mutex);
  if (!m_token.empty() && m_clock.now() < m_token_refresh_at) {
    return m_token;
  }
  m_token.clear();
  return fetch_token(transport);
}

void GdriveClient::forget_token(const std::string& stale) {
  std::lock_guard lock(m_token_mutex);
  if (m_token == stale) {
    m_token.clear();
  }
}

http::Request GdriveClient::build(const DriveRequest& request, const std::string& token) const {
  http::Request out;
  out.method = request.method;
  out.url = request.url;
  out.headers = request.headers;
  out.headers.push_back({"Authorization", "Bearer " + token});
  if (!request.body_bytes.empty() || request.empty_put) {
    out.body_source = http::bytes_body(request.body_bytes);
    // Not rewindable: libcurl would otherwise send a chunk again on a fresh connection when
    // the server drops a reused one, at an offset Drive may have moved past. The failure
    // comes back as a transient error instead, and the upload asks for the session's status.
    out.body_source->rewind = nullptr;
  } else {
    out.body = request.body;
  }
  return out;
}

util::Result<http::Response> GdriveClient::send(http::Transport& transport, const DriveRequest& request,
                                                const http::ResponseSink* sink) {
  for (int round = 0;; ++round) {
    VOLBACK_TRY_ASSIGN(const std::string bearer, token(transport));
    std::string body;
    const auto bounded = bounded_body(body);
    VOLBACK_TRY_ASSIGN(auto response, transport.send(build(request, bearer), sink ? sink : &bounded));
    if (!sink) {
      response.body = std::move(body);
    }
    if (response.status != 401 || round > 0) {
      return response;
    }
    m_log.debug("Google Drive refused the access token; fetching a new one");
    forget_token(bearer);
  }
}

util::Result<http::Response> GdriveClient::call_once(http::Transport& transport, const DriveRequest& request,
                                                     std::string_view what, const http::ResponseSink* sink) {
  VOLBACK_TRY_ASSIGN(auto response, send(transport, request, sink));
  if (response.status >= 200 && response.status < 300) {
    return response;
  }
  return util::fail(classify_drive_response(response, what));
}

util::Result<http::Response> GdriveClient::call(http::Transport& transport, const DriveRequest& request,
                                                std::string_view what, const http::ResponseSink* sink) {
  return retry_value<http::Response>(m_settings.retry, m_cancel, RetryLog{m_log, "Retrying Google Drive request"}, what,
                                     [&]() -> util::Result<http::Response> {
                                       VOLBACK_TRY_ASSIGN(auto response, send(transport, request, sink));
                                       if (response.status >= 200 && response.status < 300) {
                                         return response;
                                       }
                                       auto error = classify_drive_response(response, what);
                                       if (error.kind() == util::ErrorKind::transient) {
                                         honour_retry_after(response);
                                       }
                                       return util::fail(std::move(error));
                                     });
}

void GdriveClient::honour_retry_after(const http::Response& response) const {
  const auto header = response.header("retry-after");
  if (!header || header->empty() || header->size() > 6 ||
      !std::all_of(header->begin(), header->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return;
  }
  const auto wait =
    std::min<std::chrono::seconds>(std::chrono::seconds(std::stol(std::string(*header))), k_max_retry_after);
  m_log.debug("Google Drive asks to wait before retrying", {{"seconds", wait.count()}});
  const auto until = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < until && !m_cancel.requested()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace volback::storage::gdrive
