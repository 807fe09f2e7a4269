#include <volback/app/monitor/metrics_server.hpp>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include <fmt/format.h>

namespace volback::app {

namespace {

constexpr std::size_t k_max_request = 8 * 1024;
constexpr int k_request_timeout_ms = 5000;

std::string reply(int status, std::string_view reason, std::string_view content_type, std::string_view body) {
  return fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}", status,
                     reason, content_type, body.size(), body);
}

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) {
        continue;
      }
      return;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

std::string metrics_response(std::string_view request, const std::function<std::string()>& render) {
  const auto line_end = request.find("\r\n");
  const std::string_view line = request.substr(0, line_end);
  const auto space = line.find(' ');
  const auto second = space == std::string_view::npos ? std::string_view::npos : line.find(' ', space + 1);
  if (space == std::string_view::npos || second == std::string_view::npos) {
    return reply(400, "Bad Request", "text/plain; charset=utf-8", "bad request\n");
  }
  const std::string_view method = line.substr(0, space);
  std::string_view target = line.substr(space + 1, second - space - 1);
  target = target.substr(0, target.find('?'));
  if (method != "GET") {
    return reply(405, "Method Not Allowed", "text/plain; charset=utf-8", "only GET\n");
  }
  if (target != "/metrics") {
    return reply(404, "Not Found", "text/plain; charset=utf-8", "volback serves /metrics\n");
  }
  return reply(200, "OK", "text/plain; version=0.0.4; charset=utf-8", render());
}

util::Result<std::unique_ptr<MetricsServer>> MetricsServer::start(const ListenAddress& address, Render render,
                                                                  util::Logger& log) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = fmt::format("{}", address.port);
  const int rc = ::getaddrinfo(address.host.empty() ? nullptr : address.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("VOLBACK_METRICS_LISTEN: cannot resolve {}: {}", address.host, gai_strerror(rc)));
  }
  int fd = -1;
  int error = 0;
  for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 16) != 0) {
      error = errno;
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    return util::fail(
      util::errno_error(error, fmt::format("VOLBACK_METRICS_LISTEN: listening on {}:{}", address.host, address.port)));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  const int bound_port = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                                     : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return std::unique_ptr<MetricsServer>(new MetricsServer(fd, bound_port, std::move(render), log));
}

MetricsServer::MetricsServer(int fd, int port, Render render, util::Logger& log)
  : m_fd(fd), m_port(port), m_render(std::move(render)), m_log(log) {
  m_log.info("Serving Prometheus metrics at /metrics", {{"port", m_port}});
  m_thread = std::thread([this] { serve(); });
}

MetricsServer::~MetricsServer() {
  m_stop = true;
  if (m_thread.joinable()) {
    m_thread.join();
  }
  ::close(m_fd);
}

void MetricsServer::serve() {
  while (!m_stop) {
    pollfd p{m_fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 200);
    if (ready <= 0) {
      continue;
    }
    const int client = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      continue;
    }
    answer(client);
    ::close(client);
  }
}

void MetricsServer::answer(int client) {
  std::string request;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_request_timeout_ms);
  char buffer[1024];
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < k_max_request) {
    const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0 || m_stop) {
      return;
    }
    pollfd p{client, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) {
      return;
    }
    const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
    if (n <= 0) {
      return;
    }
    request.append(buffer, static_cast<std::size_t>(n));
  }
  write_all(client, metrics_response(request, m_render));
}

}  // namespace volback::app
