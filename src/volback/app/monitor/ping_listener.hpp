#pragma once
// The run listener that pings a monitoring service (notify/ping.hpp): the start ping
// when a run starts, sent beside the run so that a slow monitor holds nothing up, then
// the success ping (exit code 0) or the failure ping (any other exit code) with the
// log's last lines, always after the start ping. A run stopped by SIGTERM sends no end
// ping: the monitor sees a run that did not finish. A ping that fails is a warning.

#include <string>
#include <thread>

#include <volback/app/run/run_report.hpp>
#include <volback/notify/ping.hpp>
#include <volback/notify/sender.hpp>
#include <volback/util/logging.hpp>

namespace volback::app {

class PingListener final : public RunListener {
 public:
  // `log` must outlive the listener.
  PingListener(notify::PingSettings settings, util::Logger& log,
               notify::TransportFactory transports = notify::curl_transport_factory());
  ~PingListener() override;
  PingListener(const PingListener&) = delete;
  PingListener& operator=(const PingListener&) = delete;

  void run_started(const RunStart& start) override;
  void run_finished(const RunReport& report) override;

 private:
  void ping(const notify::PingRequest& request, std::string_view what, std::string_view log_tail);

  notify::PingSettings m_settings;
  util::Logger& m_log;
  notify::TransportFactory m_transports;
  std::thread m_start;
};

}  // namespace volback::app
