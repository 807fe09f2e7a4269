#include <volback/storage/dropbox/dropbox_token.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <volback/storage/digest.hpp>
#include <volback/storage/dropbox/dropbox_json.hpp>

namespace volback::storage::dropbox {

namespace {

// A longer lifetime than a year is taken for a year (no overflow from a hostile reply).
constexpr std::int64_t k_max_token_seconds = std::int64_t{366} * 24 * 3600;

}  // namespace

http::Request token_request(const DropboxSettings& settings) {
  http::Request request;
  request.method = "POST";
  request.url = settings.token_url;
  const std::string credentials = settings.app_key + ":" + settings.app_secret;
  request.headers = {
    {"Authorization",
     "Basic " + to_base64({reinterpret_cast<const unsigned char*>(credentials.data()), credentials.size()})},
    {"Content-Type", "application/x-www-form-urlencoded"},
    {"Accept", "application/json"},
  };
  request.body =
    "grant_type=refresh_token&refresh_token=" + http::url_encode(settings.refresh_token, http::Slash::encode);
  return request;
}

util::Result<std::string> AccessToken::get(http::Transport& transport) {
  std::lock_guard lock(m_mutex);
  if (m_token.empty() || (m_due && std::chrono::steady_clock::now() >= *m_due)) {
    VOLBACK_TRY(refresh(transport));
  }
  return m_token;
}

void AccessToken::expired(const std::string& token) {
  std::lock_guard lock(m_mutex);
  if (token == m_token) {
    m_token.clear();
  }
}

util::Result<void> AccessToken::refresh(http::Transport& transport) {
  const auto started = std::chrono::steady_clock::now();
  auto sent = transport.send(token_request(m_settings));
  if (!sent) {
    return util::fail(sent.error().with_context("Dropbox token refresh"));
  }
  const http::Response& response = *sent;
  if (response.status < 200 || response.status >= 300) {
    const ErrorReply reply = parse_error_reply(response.body);
    util::ErrorKind kind = util::ErrorKind::permanent;
    if (response.status == 429 || response.status >= 500) {
      kind = util::ErrorKind::transient;
    } else if (response.status == 400 || response.status == 401 || response.status == 403) {
      kind = util::ErrorKind::auth;
    }
    return util::fail(kind, fmt::format("Dropbox token refresh at {}: HTTP {}{}{}", m_settings.token_url,
                                        response.status, reply.summary.empty() ? "" : " ", reply.summary));
  }
  VOLBACK_TRY_ASSIGN(auto reply, parse_token_reply(response.body));
  m_token = std::move(reply.access_token);
  m_due.reset();
  if (reply.expires_in) {
    m_due = started + std::chrono::milliseconds(std::min<std::int64_t>(*reply.expires_in, k_max_token_seconds) * 750);
  }
  return {};
}

}  // namespace volback::storage::dropbox
