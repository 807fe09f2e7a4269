#pragma once
// The daemon's /metrics endpoint (VOLBACK_METRICS_LISTEN): a small HTTP/1.1 responder on
// a listening socket, one thread, one connection at a time, each closed after its
// answer. GET /metrics answers the store's text (Prometheus exposition format 0.0.4);
// any other path is 404 and any other method 405. A request must arrive within 5 s and
// fit in 8 KiB.

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include <volback/app/config/monitor_config.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

class MetricsServer {
 public:
  // What /metrics answers, called on the server's thread.
  using Render = std::function<std::string()>;

  // Binds `address` and starts serving. Errors: the bind's (a port in use is permanent).
  static util::Result<std::unique_ptr<MetricsServer>> start(const ListenAddress& address, Render render,
                                                            util::Logger& log);
  ~MetricsServer();  // stops serving
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // The port bound (useful with port 0 in tests).
  int port() const { return m_port; }

 private:
  MetricsServer(int fd, int port, Render render, util::Logger& log);
  void serve();
  void answer(int client);

  int m_fd;
  int m_port;
  Render m_render;
  util::Logger& m_log;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

// The HTTP response to one request's text (everything up to the blank line). Pure.
std::string metrics_response(std::string_view request, const std::function<std::string()>& render);

}  // namespace volback::app
