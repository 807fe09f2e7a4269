#include <volback/app/monitor/ping_listener.hpp>

namespace volback::app {

PingListener::PingListener(notify::PingSettings settings, util::Logger& log, notify::TransportFactory transports)
  : m_settings(std::move(settings)), m_log(log), m_transports(std::move(transports)) {}

PingListener::~PingListener() {
  if (m_start.joinable()) {
    m_start.join();
  }
}

void PingListener::ping(const notify::PingRequest& request, std::string_view what, std::string_view log_tail) {
  if (auto sent = notify::send_ping(request, log_tail, m_transports); !sent) {
    m_log.warn("Sending the ping failed", {{"ping", what}, {"error", sent.error().message()}});
  } else {
    m_log.debug("Sent the ping", {{"ping", what}});
  }
}

void PingListener::run_started(const RunStart&) {
  if (!m_settings.start || m_start.joinable()) {
    return;
  }
  m_start = std::thread([this] { ping(*m_settings.start, "start", ""); });
}

void PingListener::run_finished(const RunReport& report) {
  if (m_start.joinable()) {
    m_start.join();
  }
  if (report.cancelled) {
    return;
  }
  const bool success = report.exit_code == ExitCode::ok;
  const auto& request = success ? m_settings.success : m_settings.failure;
  if (request) {
    ping(*request, success ? "success" : "fail", report.log_tail);
  }
}

}  // namespace volback::app
