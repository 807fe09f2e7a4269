#include <volback/storage/webdav/webdav_client.hpp>

#include <fmt/format.h>

#include <volback/storage/retry_policy.hpp>

namespace volback::storage::webdav {

namespace {

// Percent-encodes every segment of a decoded path, keeping the '/'s.
std::string encode_path(std::string_view path) {
  return http::url_encode(path, http::Slash::keep);
}

}  // namespace

util::Error classify_response(const http::Response& response, std::string_view what) {
  const long status = response.status;
  util::ErrorKind kind = util::ErrorKind::permanent;
  std::string hint;
  if ((status >= 500 && status != 507) || status == 408 || status == 423 || status == 429) {
    kind = util::ErrorKind::transient;
  } else if (status == 401 || status == 403) {
    kind = util::ErrorKind::auth;
    hint = status == 401 ? ": the server refused WEBDAV_USERNAME and WEBDAV_PASSWORD"
                         : ": the user may not access this path";
  } else if (status == 404 || status == 409) {
    kind = util::ErrorKind::not_found;
  } else if (status == 507) {
    hint = ": the server has no space left";
  }
  return util::Error(kind, fmt::format("WebDAV {}: HTTP {}{}", what, status, hint));
}

WebdavClient::WebdavClient(const WebdavSettings& settings, const util::CancelToken& cancel, util::Logger& log,
                           TransportFactory transports)
  : m_settings(settings), m_cancel(cancel), m_log(log), m_transports(std::move(transports)) {
  if (!m_transports) {
    m_transports = [](http::TransportOptions options) { return http::make_curl_transport(std::move(options)); };
  }
}

http::AuthScheme WebdavClient::auth_scheme() const {
  {
    std::lock_guard lock(m_mutex);
    if (m_scheme) {
      return *m_scheme;
    }
  }
  http::TransportOptions options;
  options.verify_tls = m_settings.verify_tls;
  options.cancel = &m_cancel;
  auto probe = m_transports(std::move(options));
  http::Request request;
  request.method = "PROPFIND";
  request.url = url("");
  request.headers = {{"Depth", "0"}};
  auto response = probe->send(request);
  if (!response) {
    return http::AuthScheme::any;  // unknown for now; the request that follows reports the error
  }
  const auto challenge = response->header("www-authenticate");
  const bool digest = challenge && (challenge->starts_with("Digest") || challenge->starts_with("digest"));
  const auto scheme = digest ? http::AuthScheme::digest : http::AuthScheme::basic;
  std::lock_guard lock(m_mutex);
  m_scheme = scheme;
  return scheme;
}

std::unique_ptr<http::Transport> WebdavClient::make_transport(Cancellation cancellation) const {
  http::TransportOptions options;
  options.verify_tls = m_settings.verify_tls;
  options.cancel = cancellation == Cancellation::honour ? &m_cancel : nullptr;
  options.auth = http::HttpAuth{m_settings.username, m_settings.password, auth_scheme()};
  return m_transports(std::move(options));
}

std::string WebdavClient::path(std::string_view rel) const {
  std::string out = m_settings.base;
  if (!rel.empty()) {
    out += '/';
    out += rel;
  }
  return out;
}

std::string WebdavClient::url(std::string_view rel) const {
  const std::string p = path(rel);
  return m_settings.origin + (p.empty() ? std::string("/") : encode_path(p));
}

util::Result<http::Response> WebdavClient::call_once(http::Transport& transport, const http::Request& request,
                                                     std::string_view what, const http::ResponseSink* sink) {
  VOLBACK_TRY_ASSIGN(auto response, transport.send(request, sink));
  if (response.status >= 200 && response.status < 300) {
    return response;
  }
  return util::fail(classify_response(response, what));
}

util::Result<http::Response> WebdavClient::call(http::Transport& transport, const http::Request& request,
                                                std::string_view what, const http::ResponseSink* sink) {
  return retry_value<http::Response>(m_settings.retry, m_cancel, RetryLog{m_log, "Retrying WebDAV request"}, what,
                                     [&] { return call_once(transport, request, what, sink); });
}

util::Result<std::vector<DavEntry>> WebdavClient::propfind(http::Transport& transport, std::string_view rel,
                                                           int depth) {
  http::Request request;
  request.method = "PROPFIND";
  request.url = url(rel);
  request.headers = {{"Depth", std::to_string(depth)}, {"Content-Type", "application/xml; charset=utf-8"}};
  request.body = std::string(propfind_body());
  VOLBACK_TRY_ASSIGN(auto response, call(transport, request, fmt::format("PROPFIND {}", path(rel))));
  if (response.status != 207) {
    return util::fail(util::ErrorKind::permanent, fmt::format("WebDAV PROPFIND {}: HTTP {} instead of 207 Multi-Status",
                                                              path(rel), response.status));
  }
  return parse_multistatus(response.body);
}

util::Result<void> WebdavClient::make_collections(http::Transport& transport, std::string_view rel_dir) {
  const std::string full = path(rel_dir);
  {
    std::lock_guard lock(m_mutex);
    if (full.empty() || m_existing.contains(full)) {
      return {};
    }
  }
  // Every level from the root down: MKCOL answers 405 when the collection exists.
  for (std::size_t at = 1; at <= full.size(); ++at) {
    if (at != full.size() && full[at] != '/') {
      continue;
    }
    const std::string level = full.substr(0, at);
    {
      std::lock_guard lock(m_mutex);
      if (m_existing.contains(level)) {
        continue;
      }
    }
    http::Request request;
    request.method = "MKCOL";
    request.url = m_settings.origin + encode_path(level);
    const std::string what = fmt::format("MKCOL {}", level);
    VOLBACK_TRY_ASSIGN(
      auto response, retry_value<http::Response>(m_settings.retry, m_cancel, RetryLog{m_log, "Retrying WebDAV request"},
                                                 what, [&]() -> util::Result<http::Response> {
                                                   VOLBACK_TRY_ASSIGN(auto r, transport.send(request));
                                                   // 405: it exists (or is not ours to create, e.g. the
                                                   // server's own root); either way go deeper.
                                                   if ((r.status >= 200 && r.status < 300) || r.status == 405 ||
                                                       (r.status == 403 && at != full.size())) {
                                                     return r;
                                                   }
                                                   return util::fail(classify_response(r, what));
                                                 }));
    if (response.status == 201) {
      m_log.debug("Created WebDAV collection", {{"path", level}});
    }
    std::lock_guard lock(m_mutex);
    m_existing.insert(level);
  }
  return {};
}

}  // namespace volback::storage::webdav
