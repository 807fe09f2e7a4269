#include <volback/storage/s3/s3_client.hpp>

#include <unistd.h>

#include <cerrno>
#include <ctime>

#include <fmt/format.h>

#include <volback/storage/digest.hpp>
#include <volback/storage/s3/imds_credentials.hpp>
#include <volback/storage/s3/s3_xml.hpp>
#include <volback/storage/s3/sigv4.hpp>

namespace volback::storage::s3 {

namespace {

constexpr std::string_view k_default_region = "us-east-1";

std::unique_ptr<CredentialsProvider> make_credentials(const S3Settings& settings, const util::Clock& clock,
                                                      const util::CancelToken& cancel, util::Logger& log,
                                                      const TransportFactory& transports) {
  if (!settings.iam_role_endpoint) {
    return make_static_credentials(settings.credentials);
  }
  auto transport = transports ? transports(&cancel) : make_imds_transport(&cancel);
  return std::make_unique<ImdsCredentials>(*settings.iam_role_endpoint, std::move(transport), clock, log);
}

bool is_transient_code(std::string_view code) {
  return code == "RequestTimeout" || code == "SlowDown" || code == "InternalError" || code == "ServiceUnavailable";
}

}  // namespace

util::Error classify_response(const http::Response& response, std::string_view what) {
  const auto body = parse_error(response.body);
  const long status = response.status;
  util::ErrorKind kind = util::ErrorKind::permanent;
  if (status >= 500 || status == 429 || (body && is_transient_code(body->code))) {
    kind = util::ErrorKind::transient;
  } else if (status == 401 || status == 403) {
    kind = util::ErrorKind::auth;
  } else if (status == 404) {
    kind = util::ErrorKind::not_found;
  }
  std::string detail;
  if (body) {
    detail = body->message.empty() ? body->code : fmt::format("{}: {}", body->code, body->message);
  } else if (auto code = response.header("x-amz-error-code")) {
    detail = std::string(*code);  // HEAD answers carry no body
  } else {
    detail = response.body.empty() ? "no S3 error document" : response.body.substr(0, 200);
  }
  return util::Error(kind, fmt::format("{}: HTTP {}: {}", what, status, detail));
}

S3Client::S3Client(const S3Settings& settings, const util::Clock& clock, const util::CancelToken& cancel,
                   util::Logger& log, TransportFactory transports)
  : m_settings(settings),
    m_clock(clock),
    m_cancel(cancel),
    m_log(log),
    m_transports(std::move(transports)),
    m_credentials(make_credentials(settings, clock, cancel, log, m_transports)),
    m_region(settings.region) {}

std::unique_ptr<http::Transport> S3Client::make_transport(Cancellation cancellation) const {
  if (m_transports) {
    return m_transports(cancellation == Cancellation::honour ? &m_cancel : nullptr);
  }
  http::TransportOptions options;
  options.verify_tls = m_settings.verify_tls;
  options.ca_file = m_settings.ca_file;
  options.ca_pem = m_settings.ca_pem;
  options.cancel = cancellation == Cancellation::honour ? &m_cancel : nullptr;
  options.stall_timeout = std::chrono::seconds(30);
  return http::make_curl_transport(std::move(options));
}

std::string S3Client::object_key(std::string_view name) const {
  return m_settings.path.empty() ? std::string(name) : m_settings.path + "/" + std::string(name);
}

std::string S3Client::region() const {
  std::lock_guard lock(m_mutex);
  return m_region ? *m_region : std::string(k_default_region);
}

util::Result<http::Request> S3Client::build(const S3Request& request, std::string_view region) const {
  VOLBACK_TRY_ASSIGN(const auto credentials, m_credentials->get());
  const bool path_style = m_settings.addressing == AddressingStyle::path;
  const std::string host = path_style ? m_settings.host : m_settings.bucket + "." + m_settings.host;
  std::string path = path_style ? "/" + http::url_encode(m_settings.bucket, http::Slash::encode) : std::string();
  if (!request.key.empty()) {
    path += "/" + http::url_encode(request.key, http::Slash::keep);
  }
  if (path.empty()) {
    path = "/";
  }
  const std::string query = canonical_query(request.query);
  const std::string date = amz_date(m_clock.now());
  std::string payload_hash = request.payload_sha256;
  if (payload_hash.empty()) {
    payload_hash = request.body_bytes.empty() ? sha256_hex(request.body) : to_hex(sha256(request.body_bytes));
  }

  SigningInput input;
  input.method = request.method;
  input.canonical_path = path;
  input.query = request.query;
  input.payload_hash = payload_hash;
  input.headers = request.headers;
  input.headers.emplace_back("host", host);
  input.headers.emplace_back("x-amz-date", date);
  input.headers.emplace_back("x-amz-content-sha256", payload_hash);
  if (!credentials.session_token.empty()) {
    input.headers.emplace_back("x-amz-security-token", credentials.session_token);
  }

  http::Request out;
  out.method = request.method;
  out.url = fmt::format("{}://{}{}{}{}", m_settings.scheme, host, path, query.empty() ? "" : "?", query);
  for (const auto& [name, value] : input.headers) {
    out.headers.push_back({name, value});
  }
  out.headers.push_back({"Authorization", authorization(input, credentials, date, region)});
  if (request.body_fd >= 0) {
    const int fd = request.body_fd;
    auto offset = std::make_shared<std::uint64_t>(0);
    const std::uint64_t size = request.body_size;
    out.body_source = http::BodySource{
      [fd, offset, size](std::span<std::byte> buffer) -> util::Result<std::size_t> {
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - *offset));
        if (want == 0) {
          return std::size_t{0};
        }
        const ssize_t n = ::pread(fd, buffer.data(), want, static_cast<off_t>(*offset));
        if (n <= 0) {
          return util::fail(util::errno_error(n < 0 ? errno : EIO, "reading a spilled part"));
        }
        *offset += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
      },
      [offset]() -> util::Result<void> {
        *offset = 0;
        return {};
      },
      size};
  } else if (!request.body_bytes.empty()) {
    const auto bytes = request.body_bytes;
    auto offset = std::make_shared<std::size_t>(0);
    out.body_source = http::BodySource{[bytes, offset](std::span<std::byte> buffer) -> util::Result<std::size_t> {
                                         const std::size_t n = std::min(buffer.size(), bytes.size() - *offset);
                                         std::copy_n(bytes.data() + *offset, n, buffer.data());
                                         *offset += n;
                                         return n;
                                       },
                                       [offset]() -> util::Result<void> {
                                         *offset = 0;
                                         return {};
                                       },
                                       bytes.size()};
  } else {
    out.body = request.body;
    if (request.body.empty() && (request.method == "POST" || request.method == "PUT")) {
      out.headers.push_back({"Content-Length", "0"});
    }
  }
  return out;
}

util::Result<http::Response> S3Client::call_once(http::Transport& transport, const S3Request& request,
                                                 std::string_view what, const http::ResponseSink* sink) {
  const std::string used_region = region();
  auto built = build(request, used_region);
  if (!built) {
    return util::fail(built.error().with_context(what));
  }
  auto sent = transport.send(*built, sink);
  if (!sent) {
    return util::fail(sent.error().with_context(what));
  }
  auto response = std::move(*sent);
  if (response.status >= 200 && response.status < 300) {
    return response;
  }
  // The bucket lives in another region than the one signed for: learn it once, unless
  // AWS_REGION pinned one.
  if (!m_settings.region) {
    std::optional<std::string> named;
    if (auto header = response.header("x-amz-bucket-region")) {
      named = std::string(*header);
    } else if (auto body = parse_error(response.body); body && !body->region.empty()) {
      named = body->region;
    }
    if (named && *named != used_region) {
      {
        std::lock_guard lock(m_mutex);
        m_region = *named;
      }
      m_log.info("Using the bucket's region", {{"region", *named}});
      VOLBACK_TRY_ASSIGN(auto rebuilt, build(request, *named));
      VOLBACK_TRY_ASSIGN(response, transport.send(rebuilt, sink));
      if (response.status >= 200 && response.status < 300) {
        return response;
      }
    }
  }
  return util::fail(classify_response(response, what));
}

util::Result<http::Response> S3Client::call(http::Transport& transport, const S3Request& request, std::string_view what,
                                            const std::atomic<bool>* stop, const http::ResponseSink* sink) {
  return retry_value<http::Response>(
    m_settings.retry, m_cancel, RetryLog{m_log, "Retrying S3 request"}, what,
    [&] { return call_once(transport, request, what, sink); }, stop);
}

}  // namespace volback::storage::s3
