#pragma once
// The IAM role's credentials from the instance metadata service (AWS_IAM_ROLE_ENDPOINT),
// kept fresh for the length of a run (internal to storage/s3).
//
// The first get() fetches them (imds.hpp); later calls return the same ones until the
// refresh time, k_imds_refresh_before their Expiration, or halfway through their
// lifetime when they were handed out for less than twice that. Then the next get()
// fetches new ones, holding the others back meanwhile (one fetch at a time). When a
// refresh fails while the current credentials have not expired yet, they are used on,
// a warning is logged and the refresh is tried again k_imds_retry_after later; once
// they expired, the fetch's error is returned. Credentials that arrive already expired
// are an auth error (the clock may be wrong). Nothing secret is logged.
//
// Thread-safety: get() may be called from any number of threads.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <volback/http/transport.hpp>
#include <volback/storage/s3/credentials_provider.hpp>
#include <volback/storage/s3/imds.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>

namespace volback::storage::s3 {

inline constexpr std::chrono::minutes k_imds_refresh_before{5};
inline constexpr std::chrono::seconds k_imds_retry_after{30};

class ImdsCredentials final : public CredentialsProvider {
 public:
  // `transport` is used for the service only, one request at a time. `clock` and `log`
  // must outlive the provider.
  ImdsCredentials(std::string endpoint, std::unique_ptr<http::Transport> transport, const util::Clock& clock,
                  util::Logger& log);

  util::Result<Credentials> get() override;

 private:
  const std::string m_endpoint;
  const util::Clock& m_clock;
  util::Logger& m_log;
  std::mutex m_mutex;
  std::unique_ptr<http::Transport> m_transport;  // guarded by m_mutex, as all below
  std::optional<RoleCredentials> m_current;
  util::TimePoint m_refresh_at;
};

// The transport for the service: libcurl with short timeouts (the service answers at
// once or not at all), stopping at `cancel` (may be nullptr).
std::unique_ptr<http::Transport> make_imds_transport(const util::CancelToken* cancel);

}  // namespace volback::storage::s3
