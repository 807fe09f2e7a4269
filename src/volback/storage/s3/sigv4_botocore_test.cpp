// Compares volback's SigV4 with botocore's on many random requests. botocore comes with
// Debian's awscli, run by /usr/bin/python3 (sigv4_botocore.py). Without them the test is
// skipped, except under CI=true, where it fails.
#include <volback/storage/s3/sigv4.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <volback/http/transport.hpp>
#include <volback/storage/digest.hpp>

namespace volback::storage::s3 {
namespace {

struct PipeCloser {
  void operator()(FILE* f) const { pclose(f); }
};

std::string run(const std::string& command) {
  std::unique_ptr<FILE, PipeCloser> pipe(popen(command.c_str(), "r"));
  std::string out;
  if (!pipe) {
    return out;
  }
  char buffer[65536];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe.get())) > 0) {
    out.append(buffer, n);
  }
  return out;
}

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

TEST(SigV4Botocore, MatchesBotocoreOnRandomRequests) {
  const char* ci = std::getenv("CI");
  const bool in_ci = ci != nullptr && std::string(ci) == "true";
  if (run("/usr/bin/python3 -c 'import awscli, botocore.auth' 2>/dev/null && echo ok") != "ok\n") {
    if (in_ci) {
      FAIL() << "/usr/bin/python3 with Debian's awscli (botocore) is required";
    }
    GTEST_SKIP() << "/usr/bin/python3 with Debian's awscli (botocore) is not installed";
  }
  const std::string output =
    run("/usr/bin/python3 " VOLBACK_S3_TEST_DIR "/sigv4_botocore.py 300 " + std::to_string(20261126));
  std::size_t cases = 0;
  std::size_t start = 0;
  while (start < output.size()) {
    const auto end = output.find('\n', start);
    const auto line = output.substr(start, end - start);
    start = end == std::string::npos ? output.size() : end + 1;
    const auto c = nlohmann::json::parse(line);
    ++cases;

    const std::string key = c["key"];
    const std::string path =
      "/" + std::string(c["bucket"]) + (key.empty() ? "" : "/" + http::url_encode(key, http::Slash::keep));
    ASSERT_EQ(path, c["path"].get<std::string>()) << line;

    SigningInput in;
    in.method = c["method"];
    in.canonical_path = path;
    for (const auto& p : c["params"]) {
      in.query.emplace_back(p[0], p[1]);
    }
    std::string date;
    for (const auto& h : c["headers"]) {
      in.headers.emplace_back(h[0], h[1]);
      if (h[0] == "X-Amz-Date") {
        date = h[1];
      }
      if (h[0] == "X-Amz-Content-SHA256") {
        in.payload_hash = h[1];
      }
    }
    in.headers.emplace_back("host", c["host"]);
    ASSERT_EQ(sha256_hex(from_hex(c["body_hex"])), in.payload_hash) << line;
    const Credentials credentials{c["access"], c["secret"], ""};
    EXPECT_EQ(authorization(in, credentials, date, c["region"].get<std::string>()), c["authorization"]) << line;
  }
  EXPECT_EQ(cases, 300U);
}

}  // namespace
}  // namespace volback::storage::s3
