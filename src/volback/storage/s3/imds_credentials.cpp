#include <volback/storage/s3/imds_credentials.hpp>

#include <fmt/format.h>

namespace volback::storage::s3 {

namespace {

std::string seconds_text(util::TimePoint::duration duration) {
  return fmt::format("{}s", std::chrono::duration_cast<std::chrono::seconds>(duration).count());
}

}  // namespace

ImdsCredentials::ImdsCredentials(std::string endpoint, std::unique_ptr<http::Transport> transport,
                                 const util::Clock& clock, util::Logger& log)
  : m_endpoint(std::move(endpoint)), m_clock(clock), m_log(log), m_transport(std::move(transport)) {}

util::Result<Credentials> ImdsCredentials::get() {
  std::lock_guard lock(m_mutex);
  const auto now = m_clock.now();
  if (m_current && now < m_refresh_at) {
    return m_current->credentials;
  }
  auto fetched = fetch_role_credentials(*m_transport, m_endpoint, m_log);
  if (fetched && fetched->expiration <= now) {
    fetched = util::fail(util::ErrorKind::auth,
                         fmt::format("instance metadata service, credentials: they expired {} before they arrived "
                                     "(is this machine's clock right?)",
                                     seconds_text(now - fetched->expiration)));
  }
  if (!fetched) {
    if (m_current && now < m_current->expiration) {
      m_log.warn("Cannot refresh the S3 credentials; using the current ones until they expire",
                 {{"error", fetched.error().message()}, {"expires_in", seconds_text(m_current->expiration - now)}});
      m_refresh_at = std::min(now + k_imds_retry_after, m_current->expiration);
      return m_current->credentials;
    }
    return util::fail(fetched.error());
  }
  const auto lifetime = fetched->expiration - now;
  const auto lead = std::min<util::TimePoint::duration>(k_imds_refresh_before, lifetime / 2);
  m_refresh_at = fetched->expiration - lead;
  m_log.info(m_current ? "Refreshed the S3 credentials from the instance metadata service"
                       : "Fetched the S3 credentials from the instance metadata service",
             {{"role", fetched->role}, {"expires_in", seconds_text(lifetime)}});
  m_current = std::move(*fetched);
  return m_current->credentials;
}

std::unique_ptr<http::Transport> make_imds_transport(const util::CancelToken* cancel) {
  http::TransportOptions options;
  options.connect_timeout = std::chrono::seconds(5);
  options.timeout = std::chrono::seconds(15);
  options.stall_timeout = std::chrono::seconds(10);
  options.cancel = cancel;
  return http::make_curl_transport(std::move(options));
}

}  // namespace volback::storage::s3
