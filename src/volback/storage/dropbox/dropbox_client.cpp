#include <volback/storage/dropbox/dropbox_client.hpp>

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include <volback/storage/dropbox/dropbox_json.hpp>
#include <volback/storage/retry_policy.hpp>

namespace volback::storage::dropbox {

namespace {

// The longest wait a 429 may ask for; a longer one is cut to this.
constexpr std::chrono::seconds k_max_retry_after{60};

std::optional<std::int64_t> retry_after_seconds(const http::Response& response, const ErrorReply& reply) {
  if (const auto header = response.header("retry-after")) {
    std::int64_t seconds = 0;
    const auto* end = header->data() + header->size();
    if (auto [ptr, ec] = std::from_chars(header->data(), end, seconds); ec == std::errc() && ptr == end) {
      return seconds;
    }
  }
  return reply.retry_after;
}

bool says_not_found(std::string_view summary) {
  return summary.find("not_found") != std::string_view::npos;
}

}  // namespace

util::Error classify_response(const http::Response& response, std::string_view what) {
  const ErrorReply reply = parse_error_reply(response.body);
  const long status = response.status;
  util::ErrorKind kind = util::ErrorKind::permanent;
  if (status == 429 || status >= 500) {
    kind = util::ErrorKind::transient;
  } else if (status == 401 || status == 403) {
    kind = util::ErrorKind::auth;
  } else if (status == 409 && says_not_found(reply.summary)) {
    kind = util::ErrorKind::not_found;
  }
  const std::string& detail = reply.summary.empty() ? reply.tag : reply.summary;
  return util::Error(kind, fmt::format("Dropbox {}: HTTP {}{}{}", what, status, detail.empty() ? "" : " ", detail));
}

DropboxClient::DropboxClient(const DropboxSettings& settings, const util::CancelToken& cancel, util::Logger& log,
                             TransportFactory transports)
  : m_settings(settings), m_cancel(cancel), m_log(log), m_transports(std::move(transports)), m_token(settings) {
  if (!m_transports) {
    m_transports = [](const util::CancelToken* token) {
      http::TransportOptions options;
      options.cancel = token;
      return http::make_curl_transport(std::move(options));
    };
  }
}

std::unique_ptr<http::Transport> DropboxClient::make_transport() const {
  return m_transports(&m_cancel);
}

std::string DropboxClient::path_of(std::string_view key) const {
  return key.empty() ? m_settings.folder : m_settings.folder + "/" + std::string(key);
}

util::Result<http::Response> DropboxClient::call_once(http::Transport& transport, const DropboxCall& call,
                                                      std::string_view what, const std::atomic<bool>* stop) {
  VOLBACK_TRY_ASSIGN(const std::string token, m_token.get(transport));
  http::Request request;
  request.method = "POST";
  request.url =
    (call.host == DropboxCall::Host::api ? m_settings.api_base : m_settings.content_base) + "2/" + call.route;
  request.headers.push_back({"Authorization", "Bearer " + token});
  if (call.host == DropboxCall::Host::api) {
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = call.arg;
  } else {
    request.headers.push_back({"Dropbox-API-Arg", call.arg});
    if (call.range) {
      request.headers.push_back({"Range", fmt::format("bytes={}-{}", call.range->first, call.range->second)});
    } else {
      request.headers.push_back({"Content-Type", "application/octet-stream"});
      request.body_source = http::bytes_body(call.upload);
    }
  }
  VOLBACK_TRY_ASSIGN(auto response, transport.send(request));
  if (response.status >= 200 && response.status < 300) {
    return response;
  }
  if (response.status == 409 && call.done_at_offset &&
      parse_error_reply(response.body).correct_offset == call.done_at_offset) {
    response.status = 200;
    response.body.clear();
    return response;
  }
  util::Error error = classify_response(response, what);
  if (response.status == 401 && parse_error_reply(response.body).tag == "expired_access_token") {
    m_token.expired(token);
    return util::fail(util::ErrorKind::transient, error.message());
  }
  if (response.status == 429 || response.status == 503) {
    if (const auto seconds = retry_after_seconds(response, parse_error_reply(response.body)); seconds && *seconds > 0) {
      // Clamped in seconds first: a huge value must not overflow the conversion.
      const std::chrono::seconds wait{std::min<std::int64_t>(*seconds, k_max_retry_after.count())};
      interruptible_sleep(wait, m_cancel, stop);
    }
  }
  return util::fail(std::move(error));
}

util::Result<http::Response> DropboxClient::call(http::Transport& transport, const DropboxCall& call,
                                                 std::string_view what, const std::atomic<bool>* stop) {
  return retry_value<http::Response>(
    m_settings.retry, m_cancel, RetryLog{m_log, "Retrying Dropbox request"}, what,
    [&] { return call_once(transport, call, what, stop); }, stop);
}

}  // namespace volback::storage::dropbox
