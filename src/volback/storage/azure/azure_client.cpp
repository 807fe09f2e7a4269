#include <volback/storage/azure/azure_client.hpp>

#include <fmt/format.h>

#include <volback/storage/azure/azure_xml.hpp>
#include <volback/storage/azure/shared_key.hpp>
#include <volback/storage/http_time.hpp>
#include <volback/storage/retry_policy.hpp>

namespace volback::storage::azure {

namespace {

constexpr std::string_view k_api_version = "2021-12-02";

bool is_transient_code(std::string_view code) {
  return code == "ServerBusy" || code == "OperationTimedOut" || code == "InternalError";
}

std::string first_line(std::string_view text) {
  const auto nl = text.find_first_of("\r\n");
  return std::string(text.substr(0, nl));
}

}  // namespace

util::Error classify_response(const http::Response& response, std::string_view what) {
  const auto body = parse_error(response.body);
  std::string code = body ? body->code : std::string();
  if (code.empty()) {
    if (auto header = response.header("x-ms-error-code")) {
      code = std::string(*header);
    }
  }
  const long status = response.status;
  util::ErrorKind kind = util::ErrorKind::permanent;
  if (status >= 500 || status == 408 || status == 429 || is_transient_code(code)) {
    kind = util::ErrorKind::transient;
  } else if (status == 401 || status == 403) {
    kind = util::ErrorKind::auth;
  } else if (status == 404) {
    kind = util::ErrorKind::not_found;
  }
  std::string detail = code;
  if (body && !body->message.empty()) {
    detail += ": " + first_line(body->message);
  }
  return util::Error(kind, fmt::format("Azure {}: HTTP {}{}{}", what, status, detail.empty() ? "" : " ", detail));
}

AzureClient::AzureClient(const AzureSettings& settings, const util::Clock& clock, const util::CancelToken& cancel,
                         util::Logger& log, TransportFactory transports)
  : m_settings(settings), m_clock(clock), m_cancel(cancel), m_log(log), m_transports(std::move(transports)) {
  if (!m_transports) {
    m_transports = [](const util::CancelToken* token) {
      http::TransportOptions options;
      options.cancel = token;
      return http::make_curl_transport(std::move(options));
    };
  }
}

std::unique_ptr<http::Transport> AzureClient::make_transport(Cancellation cancellation) const {
  return m_transports(cancellation == Cancellation::honour ? &m_cancel : nullptr);
}

std::string AzureClient::blob_name(std::string_view key) const {
  if (m_settings.path.empty()) {
    return std::string(key);
  }
  return key.empty() ? m_settings.path : m_settings.path + "/" + std::string(key);
}

http::Request AzureClient::build(const AzureRequest& request) const {
  SharedKeyRequest signing;
  signing.method = request.method;
  signing.path = m_settings.base_path + "/" + m_settings.container;
  if (!request.blob.empty()) {
    signing.path += "/" + http::url_encode(request.blob, http::Slash::keep);
  }
  signing.query = request.query;
  signing.headers = request.headers;
  signing.headers.emplace_back("x-ms-date", format_http_date(m_clock.now()));
  signing.headers.emplace_back("x-ms-version", std::string(k_api_version));
  const std::size_t length = !request.body_bytes.empty() ? request.body_bytes.size() : request.body.size();
  const bool has_body = length > 0 || request.method == "PUT";
  if (has_body) {
    signing.headers.emplace_back("Content-Length", std::to_string(length));
  }
  http::Request out;
  out.method = request.method;
  out.url = m_settings.origin + signing.path;
  for (std::size_t i = 0; i < request.query.size(); ++i) {
    out.url += (i == 0 ? "?" : "&") + http::url_encode(request.query[i].first, http::Slash::encode) + "=" +
               http::url_encode(request.query[i].second, http::Slash::encode);
  }
  for (const auto& [name, value] : signing.headers) {
    if (name != "Content-Length") {  // the transport adds it
      out.headers.push_back({name, value});
    }
  }
  out.headers.push_back({"Authorization", authorization(m_settings.account, m_settings.key, signing)});
  if (!request.body_bytes.empty()) {
    out.body_source = http::bytes_body(request.body_bytes);
  } else {
    out.body = request.body;
  }
  return out;
}

util::Result<http::Response> AzureClient::call_once(http::Transport& transport, const AzureRequest& request,
                                                    std::string_view what, const http::ResponseSink* sink) {
  VOLBACK_TRY_ASSIGN(auto response, transport.send(build(request), sink));
  if (response.status >= 200 && response.status < 300) {
    return response;
  }
  return util::fail(classify_response(response, what));
}

util::Result<http::Response> AzureClient::call(http::Transport& transport, const AzureRequest& request,
                                               std::string_view what, const std::atomic<bool>* stop,
                                               const http::ResponseSink* sink) {
  return retry_value<http::Response>(
    m_settings.retry, m_cancel, RetryLog{m_log, "Retrying Azure request"}, what,
    [&] { return call_once(transport, request, what, sink); }, stop);
}

}  // namespace volback::storage::azure
