// The storage conformance suite against the Azure backend over an in-memory Blob service
// behind http::Transport (Put Block, Put Block List, Put Blob, Get Blob Properties, ranged
// Get Blob, Delete Blob, List Blobs with markers), plus what the suite cannot see: the
// Shared Key on every request, parallel blocks committed in order, the access tier, pages
// of List Blobs, and the removal of staged blocks.

#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <volback/storage/azure/azure_backend.hpp>
#include <volback/storage/azure/shared_key.hpp>
#include <volback/storage/digest.hpp>
#include <volback/storage/xml_tree.hpp>
#include <volback/testing/fake_http.hpp>
#include <volback/testing/storage_conformance.hpp>
#include <volback/util/logging.hpp>

namespace volback::storage::azure {
namespace {

constexpr std::string_view k_key_b64 =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

struct Blob {
  std::string data;
  std::string tier;
  std::string content_type;
  bool marker = false;
};

// The service: committed blobs and staged blocks by blob name, for one container "c".
struct FakeAzure {
  std::mutex mutex;
  std::map<std::string, Blob> blobs;
  std::map<std::string, std::map<std::string, std::string>> staged;
  std::vector<std::string> requests;
  unsigned page_size = 3;  // List Blobs pages, whatever maxresults asks
  std::vector<unsigned char> key = *from_base64(k_key_b64);

  util::Result<http::Response> handle(const http::Request& request) {
    std::lock_guard lock(mutex);
    http::Response response;
    // https://acc.blob.core.windows.net/c/<blob>?query
    const auto url = testing::split_fake_url(request.url);
    const std::string& encoded_path = url.path;
    const auto& query = url.query;
    const auto param = [&](std::string_view name) -> std::string {
      for (const auto& [n, v] : query) {
        if (n == name) {
          return v;
        }
      }
      return {};
    };
    const auto header = [&](std::string_view name) -> std::string {
      for (const auto& h : request.headers) {
        if (h.name == name) {
          return h.value;
        }
      }
      return {};
    };
    // Shared Key: recompute the signature from what arrived.
    SharedKeyRequest signing{request.method, encoded_path, query, {}};
    for (const auto& h : request.headers) {
      if (h.name != "Authorization") {
        signing.headers.emplace_back(h.name, h.value);
      }
    }
    std::string body = request.body;
    if (request.body_source) {
      std::vector<std::byte> buffer(1 << 16);
      for (;;) {
        VOLBACK_TRY_ASSIGN(const auto n, request.body_source->read(buffer));
        if (n == 0) {
          break;
        }
        body.append(reinterpret_cast<const char*>(buffer.data()), n);
      }
    }
    if (!body.empty() || request.method == "PUT") {
      signing.headers.emplace_back("Content-Length", std::to_string(body.size()));
    }
    if (header("Authorization") != authorization("acc", key, signing)) {
      response.status = 403;
      response.body = "<Error><Code>AuthenticationFailed</Code><Message>bad signature</Message></Error>";
      return response;
    }
    const std::string blob =
      testing::percent_decode(encoded_path.substr(std::string("/c").size() + (encoded_path.size() > 2 ? 1 : 0)));
    requests.push_back(request.method + (param("comp").empty() ? "" : " " + param("comp")) + " " + blob);
    if (request.method == "PUT" && param("comp") == "block") {
      if (!header("Content-MD5").empty() && header("Content-MD5") != md5_base64(body)) {
        response.status = 400;
        return response;
      }
      staged[blob][param("blockid")] = body;
      response.status = 201;
    } else if (request.method == "PUT" && param("comp") == "blocklist") {
      VOLBACK_TRY_ASSIGN(auto doc, parse_xml(body, "the test"));
      Blob b;
      for (const auto& latest : doc->children) {
        b.data += staged[blob].at(latest->text);
      }
      b.tier = header("x-ms-access-tier");
      b.content_type = header("x-ms-blob-content-type");
      b.marker = header("x-ms-meta-volbackpartial") == "1";
      blobs[blob] = std::move(b);
      staged.erase(blob);
      response.status = 201;
    } else if (request.method == "PUT") {
      blobs[blob] = Blob{body, header("x-ms-access-tier"), header("Content-Type"), false};
      staged.erase(blob);
      response.status = 201;
    } else if (request.method == "HEAD") {
      auto it = blobs.find(blob);
      if (it == blobs.end()) {
        response.status = 404;
        response.headers.push_back({"x-ms-error-code", "BlobNotFound"});
        return response;
      }
      response.status = 200;
      response.headers.push_back({"content-length", std::to_string(it->second.data.size())});
      response.headers.push_back({"last-modified", "Wed, 07 Jan 2026 03:00:01 GMT"});
      if (it->second.marker) {
        response.headers.push_back({"x-ms-meta-volbackpartial", "1"});
      }
    } else if (request.method == "DELETE") {
      // Like the real service: a blob with only staged blocks is not found.
      response.status = blobs.erase(blob) > 0 ? 202 : 404;
      if (response.status == 404) {
        response.body = "<Error><Code>BlobNotFound</Code><Message>no</Message></Error>";
      }
    } else if (request.method == "GET" && param("comp") == "list") {
      const std::string prefix = param("prefix");
      std::string xml = "<EnumerationResults><Blobs>";
      unsigned count = 0;
      std::string next;
      for (auto it = blobs.lower_bound(std::max(prefix, param("marker"))); it != blobs.end(); ++it) {
        if (!it->first.starts_with(prefix)) {
          break;
        }
        if (count == page_size) {
          next = it->first;
          break;
        }
        xml += fmt::format(
          "<Blob><Name>{}</Name><Properties><Last-Modified>Wed, 07 Jan 2026 03:00:01 GMT"
          "</Last-Modified><Content-Length>{}</Content-Length></Properties>{}</Blob>",
          it->first, it->second.data.size(),
          it->second.marker ? "<Metadata><volbackpartial>1</volbackpartial></Metadata>" : "");
        ++count;
      }
      response.status = 200;
      response.body = xml + "</Blobs><NextMarker>" + next + "</NextMarker></EnumerationResults>";
    } else if (request.method == "GET") {
      auto it = blobs.find(blob);
      if (it == blobs.end()) {
        response.status = 404;
        return response;
      }
      std::uint64_t first = 0;
      std::uint64_t last = it->second.data.size() - 1;
      std::sscanf(header("x-ms-range").c_str(), "bytes=%lu-%lu", &first, &last);
      response.status = 206;
      response.body = it->second.data.substr(first, last - first + 1);
    } else {
      response.status = 400;
    }
    return response;
  }
};

class FakeTransport final : public http::Transport {
 public:
  explicit FakeTransport(FakeAzure& azure) : m_azure(azure) {}
  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink* sink) override {
    VOLBACK_TRY_ASSIGN(auto response, m_azure.handle(request));
    if (sink != nullptr && *sink) {
      VOLBACK_TRY((*sink)(std::as_bytes(std::span(response.body.data(), response.body.size()))));
      response.body.clear();
    }
    return response;
  }

 private:
  FakeAzure& m_azure;
};

struct Fixture {
  FakeAzure azure;
  util::CapturingLogger log;
  util::SystemClock clock;
  util::CancelToken cancel;
  AzureSettings settings(std::uint64_t block_size = 1 << 20) const {
    AzureSettings s;
    s.account = "acc";
    s.key = *from_base64(k_key_b64);
    s.origin = "https://acc.blob.core.windows.net";
    s.container = "c";
    s.path = "backups/nightly";
    s.block_size = block_size;
    s.retry.max_attempts = 1;
    return s;
  }
  std::unique_ptr<Backend> make(AzureSettings s) {
    return make_azure_backend(std::move(s), AzureContext{log, clock, cancel, "", [this](const util::CancelToken*) {
                                                           return std::make_unique<FakeTransport>(azure);
                                                         }});
  }
};

Fixture& shared_fixture() {
  static Fixture fixture;
  return fixture;
}

using volback::testing::BackendConformance;

INSTANTIATE_TEST_SUITE_P(Azure, BackendConformance,
                         ::testing::Values(volback::testing::ConformanceTarget{
                           "Azure", [] { return shared_fixture().make(shared_fixture().settings()); }, 8 << 20}));

TEST(AzureBackend, BlocksGoUpInParallelAndAreCommittedInOrderWithTheTier) {
  Fixture f;
  auto settings = f.settings();
  settings.access_tier = "Cool";
  auto backend = f.make(settings);
  PutOptions options;
  options.content_type = "application/gzip";
  auto upload = backend->begin_upload("backup.tar.gz", options);
  ASSERT_TRUE(upload);
  const std::string data = volback::testing::conformance::bytes_of((5 << 20) + 123);
  for (std::size_t at = 0; at < data.size(); at += 300000) {
    const auto piece = std::string_view(data).substr(at, 300000);
    ASSERT_TRUE((*upload)->write(std::as_bytes(std::span(piece.data(), piece.size()))));
  }
  ASSERT_TRUE((*upload)->finish());
  const auto& blob = f.azure.blobs.at("backups/nightly/backup.tar.gz");
  EXPECT_TRUE(blob.data == data);
  EXPECT_EQ(blob.tier, "Cool");
  EXPECT_EQ(blob.content_type, "application/gzip");
  unsigned blocks = 0;
  for (const auto& r : f.azure.requests) {
    blocks += r.starts_with("PUT block ") ? 1 : 0;
  }
  EXPECT_EQ(blocks, 6u);
  EXPECT_EQ(f.azure.requests.back(), "PUT blocklist backups/nightly/backup.tar.gz");
}

TEST(AzureBackend, AnAbandonedUploadRemovesItsStagedBlocks) {
  Fixture f;
  auto backend = f.make(f.settings());
  {
    auto upload = backend->begin_upload("x.tar", {});
    ASSERT_TRUE(upload);
    const std::string data(3 << 20, 'x');
    ASSERT_TRUE((*upload)->write(std::as_bytes(std::span(data.data(), data.size()))));
  }
  EXPECT_TRUE(f.azure.blobs.empty());
  // Delete Blob found nothing committed, so an empty marked list was committed and deleted.
  EXPECT_TRUE(f.azure.staged.empty());
  EXPECT_TRUE(f.log.contains("Removed the blocks of the unfinished Azure upload"));
}

TEST(AzureBackend, ListingPagesThroughMarkers) {
  Fixture f;
  for (int i = 0; i < 8; ++i) {
    f.azure.blobs[fmt::format("backups/nightly/b{}", i)] = Blob{"x", "", "", false};
  }
  f.azure.blobs["backups/nightly/placeholder"] = Blob{"", "", "", true};
  f.azure.blobs["backups/other/b"] = Blob{"x", "", "", false};
  auto backend = f.make(f.settings());
  const auto keys = volback::testing::conformance::keys(*backend, "b");
  EXPECT_EQ(keys.size(), 8u);
  EXPECT_TRUE(keys.contains("b7"));
}

TEST(AzureBackend, AWrongKeyIsAnAuthErrorAtThePreflight) {
  Fixture f;
  auto settings = f.settings();
  settings.key = *from_base64("QmFkS2V5");
  auto backend = f.make(settings);
  auto checked = backend->preflight(ListAccess::needed);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().kind(), util::ErrorKind::auth);
  EXPECT_NE(checked.error().message().find("AuthenticationFailed"), std::string::npos);
}

}  // namespace
}  // namespace volback::storage::azure
