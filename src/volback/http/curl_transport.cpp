#include <volback/http/transport.hpp>
#include <volback/util/trim.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

namespace volback::http {

namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

util::ErrorKind kind_of(CURLcode code) {
  switch (code) {
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL: return util::ErrorKind::invalid_argument;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_SEND_FAIL_REWIND:  // a connection died and the body could not be sent again
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
  case CURLE_SSL_CONNECT_ERROR: return util::ErrorKind::transient;
  default: return util::ErrorKind::permanent;
  }
}

// State of one request, reachable from libcurl's C callbacks.
struct Exchange {
  const Request* request = nullptr;
  const ResponseSink* sink = nullptr;
  Response response;
  std::optional<util::Error> callback_error;  // from the body source or sink
  std::size_t body_offset = 0;                // into request->body
  const util::CancelToken* cancel = nullptr;
  bool cancelled = false;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& ex = *static_cast<Exchange*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    ex.response.headers.clear();  // a new response (after 100 Continue or a redirect)
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    ex.response.headers.push_back(
      {lower(util::trim(line.substr(0, colon))), std::string(util::trim(line.substr(colon + 1)))});
  }
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& ex = *static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  if (ex.sink != nullptr && *ex.sink) {
    auto r = (*ex.sink)(std::as_bytes(std::span<const char>(data, n)));
    if (!r) {
      ex.callback_error = r.error();
      return CURL_WRITEFUNC_ERROR;
    }
  } else {
    ex.response.body.append(data, n);
  }
  return n;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& ex = *static_cast<Exchange*>(user);
  const std::size_t capacity = size * count;
  if (ex.request->body_source) {
    auto n = ex.request->body_source->read(std::as_writable_bytes(std::span<char>(buffer, capacity)));
    if (!n) {
      ex.callback_error = n.error();
      return CURL_READFUNC_ABORT;
    }
    return *n;
  }
  const std::string& body = ex.request->body;
  const std::size_t n = std::min(capacity, body.size() - ex.body_offset);
  std::memcpy(buffer, body.data() + ex.body_offset, n);
  ex.body_offset += n;
  return n;
}

// libcurl calls this when it must resend the body (a redirect or a retried connection).
int on_seek(void* user, curl_off_t offset, int origin) {
  auto& ex = *static_cast<Exchange*>(user);
  if (origin != SEEK_SET || offset != 0) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  if (ex.request->body_source) {
    if (!ex.request->body_source->rewind) {
      return CURL_SEEKFUNC_CANTSEEK;
    }
    auto r = ex.request->body_source->rewind();
    if (!r) {
      ex.callback_error = r.error();
      return CURL_SEEKFUNC_FAIL;
    }
    return CURL_SEEKFUNC_OK;
  }
  ex.body_offset = 0;
  return CURL_SEEKFUNC_OK;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto& ex = *static_cast<Exchange*>(user);
  if (ex.cancel != nullptr && ex.cancel->requested()) {
    ex.cancelled = true;
    return 1;  // aborts the transfer
  }
  return 0;
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(TransportOptions options) : m_options(std::move(options)) {
    global_init_once();
    m_handle.reset(curl_easy_init());
  }

  util::Result<Response> send(const Request& request, const ResponseSink* sink) override {
    if (!m_handle) {
      return util::fail(util::ErrorKind::permanent, "libcurl could not be initialised");
    }
    CURL* h = m_handle.get();
    curl_easy_reset(h);  // keeps the live connections and caches, drops the old options
    Exchange ex;
    ex.request = &request;
    ex.sink = sink;
    ex.cancel = m_options.cancel;

    SlistPtr headers;
    for (const auto& header : request.headers) {
      const std::string line = header.value.empty() ? header.name + ";" : header.name + ": " + header.value;
      headers.reset(curl_slist_append(headers.release(), line.c_str()));
    }
    // libcurl would otherwise send "Expect: 100-continue" for large bodies, and some
    // servers answer it badly; S3 does not need it. A request may still ask for it.
    const bool expect = std::any_of(request.headers.begin(), request.headers.end(),
                                    [](const Header& header) { return lower(header.name) == "expect"; });
    if (!expect) {
      headers.reset(curl_slist_append(headers.release(), "Expect:"));
    }

    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &ex);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &ex);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &ex);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(m_options.stall_timeout.count()));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, m_options.verify_tls ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, m_options.verify_tls ? 2L : 0L);
    if (m_options.ca_file) {
      curl_easy_setopt(h, CURLOPT_CAINFO, m_options.ca_file->c_str());
    }
    if (m_options.client_cert_file) {
      curl_easy_setopt(h, CURLOPT_SSLCERT, m_options.client_cert_file->c_str());
    }
    if (m_options.client_key_file) {
      curl_easy_setopt(h, CURLOPT_SSLKEY, m_options.client_key_file->c_str());
    }
    curl_blob ca_blob{};
    if (m_options.ca_pem) {
      ca_blob.data = m_options.ca_pem->data();
      ca_blob.len = m_options.ca_pem->size();
      ca_blob.flags = CURL_BLOB_NOCOPY;
      curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca_blob);
    }
    if (m_options.auth) {
      const auto& auth = *m_options.auth;
      const long schemes = auth.scheme == AuthScheme::basic    ? CURLAUTH_BASIC
                           : auth.scheme == AuthScheme::digest ? CURLAUTH_DIGEST
                                                               : (CURLAUTH_BASIC | CURLAUTH_DIGEST);
      curl_easy_setopt(h, CURLOPT_HTTPAUTH, schemes);
      curl_easy_setopt(h, CURLOPT_USERNAME, auth.username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, auth.password.c_str());
    }
    if (m_options.unix_socket) {
      curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, m_options.unix_socket->c_str());
    }

    const bool has_body = request.body_source.has_value() || !request.body.empty();
    const bool chunked = request.body_source && request.body_source->chunked;
    const auto body_size =
      chunked ? curl_off_t{-1}
              : static_cast<curl_off_t>(request.body_source ? request.body_source->size : request.body.size());
    if (request.method == "GET") {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (request.method == "PUT" || has_body) {
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, body_size);
      curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(h, CURLOPT_READDATA, &ex);
      curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
      curl_easy_setopt(h, CURLOPT_SEEKDATA, &ex);
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    const CURLcode code = curl_easy_perform(h);
    if (ex.cancelled) {
      return util::fail(util::ErrorKind::cancelled, "cancelled");
    }
    if (ex.callback_error) {
      return util::fail(*ex.callback_error);
    }
    if (code != CURLE_OK) {
      return util::fail(kind_of(code),
                        fmt::format("{} {}: {}", request.method, redacted(request.url), curl_easy_strerror(code)));
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &ex.response.status);
    return std::move(ex.response);
  }

 private:
  // The URL without its query string, which may carry signatures.
  static std::string redacted(const std::string& url) {
    const auto q = url.find('?');
    return q == std::string::npos ? url : url.substr(0, q) + "?…";
  }

  TransportOptions m_options;
  CurlPtr m_handle;
};

}  // namespace

std::optional<std::string_view> Response::header(std::string_view name) const {
  const std::string wanted = lower(name);
  for (const auto& h : headers) {
    if (h.name == wanted) {
      return std::string_view(h.value);
    }
  }
  return std::nullopt;
}

std::unique_ptr<Transport> make_curl_transport(TransportOptions options) {
  return std::make_unique<CurlTransport>(std::move(options));
}

std::string url_encode(std::string_view text, Slash slash) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || (c == '/' && slash == Slash::keep)) {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace volback::http
