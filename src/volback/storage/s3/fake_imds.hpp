#pragma once
// Test double of the instance metadata service (imds.hpp): answers the token PUT, the
// role listing and the role's credentials as EC2 does, from settings a test changes,
// and records every request. Unit tests only.

#include <mutex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <volback/http/transport.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::storage::s3::fake {

inline constexpr std::string_view k_fake_imds = "http://imds.test";

class FakeImds {
 public:
  long token_status = 200;     // 403, 404 or 405: a service without IMDSv2
  bool require_token = false;  // IMDSv2 only: GETs without the token are answered 401
  std::string token = "imds-token-1";
  std::string role = "backup-role";
  util::TimePoint expiration;  // of the credentials handed out
  // When non-empty, the reply to the credentials GET instead of the JSON below.
  std::string credentials_reply;

  // Handed-out credentials number n (from 1): AccessKeyId "ASIAKEY<n>", SecretAccessKey
  // "secret<n>", Token "session<n>".
  util::Result<http::Response> handle(const http::Request& request) {
    std::lock_guard lock(m_mutex);
    m_seen.push_back(request);
    const std::string path = request.url.substr(k_fake_imds.size());
    if (path == "/latest/api/token") {
      if (request.method != "PUT") {
        return reply(405);
      }
      return token_status == 200 ? reply(200, token) : reply(token_status);
    }
    const std::string given = header(request, "X-aws-ec2-metadata-token");
    if ((require_token || !given.empty()) && given != token) {
      return reply(401);
    }
    const std::string listing = "/latest/meta-data/iam/security-credentials/";
    if (path == listing) {
      return reply(200, role + "\n");
    }
    if (path == listing + role) {
      ++m_handed_out;
      if (!credentials_reply.empty()) {
        return reply(200, credentials_reply);
      }
      return reply(200, fmt::format(R"({{"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC",)"
                                    R"("AccessKeyId":"ASIAKEY{0}","SecretAccessKey":"secret{0}","Token":"session{0}",)"
                                    R"("Expiration":"{1}"}})",
                                    m_handed_out, util::format_rfc3339(expiration, util::TimeZone::utc())));
    }
    return reply(404);
  }

  std::vector<http::Request> seen() const {
    std::lock_guard lock(m_mutex);
    return m_seen;
  }
  int handed_out() const {
    std::lock_guard lock(m_mutex);
    return m_handed_out;
  }

  static std::string header(const http::Request& request, std::string_view name) {
    for (const auto& h : request.headers) {
      if (h.name == name) {
        return h.value;
      }
    }
    return {};
  }

 private:
  static http::Response reply(long status, std::string body = {}) {
    http::Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }

  mutable std::mutex m_mutex;
  std::vector<http::Request> m_seen;
  int m_handed_out = 0;
};

// A transport to a FakeImds that hands the body to a response sink in 4 KiB chunks, as
// libcurl does.
class FakeImdsTransport final : public http::Transport {
 public:
  explicit FakeImdsTransport(FakeImds& imds) : m_imds(imds) {}
  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink* sink) override {
    VOLBACK_TRY_ASSIGN(auto response, m_imds.handle(request));
    if (sink != nullptr && *sink) {
      const std::string body = std::move(response.body);
      response.body.clear();
      for (std::size_t at = 0; at < body.size(); at += 4096) {
        const auto piece = std::string_view(body).substr(at, 4096);
        VOLBACK_TRY((*sink)(std::as_bytes(std::span<const char>(piece.data(), piece.size()))));
      }
    }
    return response;
  }

 private:
  FakeImds& m_imds;
};

}  // namespace volback::storage::s3::fake
