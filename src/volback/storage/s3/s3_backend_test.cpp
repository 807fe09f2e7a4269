// The S3 backend against a scripted in-memory S3 (FakeS3 below): request shapes, retries,
// aborts, pagination, batching and the preflight rules. The real-server behaviour is
// covered by tests/integration/s3.
#include <volback/storage/s3/s3_backend.hpp>

#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include <volback/storage/digest.hpp>
#include <volback/storage/stale_uploads.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::storage::s3 {
namespace {

struct Seen {
  std::string method;
  std::string url;
  std::vector<http::Header> headers;
  std::string body;

  std::string header(std::string_view name) const {
    for (const auto& h : headers) {
      if (h.name == name) {
        return h.value;
      }
    }
    return {};
  }
};

// Answers requests with `handler` and records them. Thread-safe.
class FakeS3 {
 public:
  std::function<http::Response(const Seen&)> handler;

  util::Result<http::Response> handle(const http::Request& request) {
    Seen seen{request.method, request.url, request.headers, request.body};
    if (request.body_source) {
      std::string body;
      std::vector<std::byte> buffer(1 << 16);
      while (true) {
        auto n = request.body_source->read(buffer);
        if (!n) {
          return util::fail(n.error());
        }
        if (*n == 0) {
          break;
        }
        body.append(reinterpret_cast<const char*>(buffer.data()), *n);
      }
      seen.body = std::move(body);
    }
    std::lock_guard lock(m_mutex);
    m_seen.push_back(seen);
    return handler(seen);
  }

  std::vector<Seen> seen() const {
    std::lock_guard lock(m_mutex);
    return m_seen;
  }
  std::vector<Seen> matching(std::string_view method, std::string_view url_part) const {
    std::vector<Seen> out;
    for (const auto& s : seen()) {
      if (s.method == method && s.url.find(url_part) != std::string::npos) {
        out.push_back(s);
      }
    }
    return out;
  }

 private:
  mutable std::mutex m_mutex;
  std::vector<Seen> m_seen;
};

class FakeTransport final : public http::Transport {
 public:
  explicit FakeTransport(FakeS3& s3) : m_s3(s3) {}
  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink* sink) override {
    VOLBACK_TRY_ASSIGN(auto response, m_s3.handle(request));
    if (sink != nullptr && *sink && response.status < 300) {
      VOLBACK_TRY((*sink)(io::as_bytes(response.body)));
      response.body.clear();
    }
    return response;
  }

 private:
  FakeS3& m_s3;
};

http::Response answer(long status, std::string body = {}, std::vector<http::Header> headers = {}) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class S3BackendTest : public ::testing::Test {
 protected:
  S3BackendTest() {
    m_settings.bucket = "bkt";
    m_settings.path = "base";
    m_settings.scheme = "http";
    m_settings.host = "s3.test";
    m_settings.credentials = {"key", "secret", ""};
    m_settings.part_size = 5 * 1024 * 1024;
    m_settings.concurrency = 2;
    m_settings.retry.base_delay = std::chrono::milliseconds(1);
    m_settings.retry.max_attempts = 3;
  }

  std::unique_ptr<Backend> backend() {
    return make_s3_backend(
      m_settings, S3Context{m_log, m_clock, m_cancel, m_state.path(), m_state.path(),
                            [this](const util::CancelToken*) { return std::make_unique<FakeTransport>(m_s3); }});
  }

  // The usual answers of a multipart upload; `part_status` decides each UploadPart's.
  void serve_multipart(std::function<long(int attempt)> part_status) {
    m_s3.handler = [this, part_status](const Seen& s) {
      if (s.method == "POST" && has(s.url, "?uploads")) {
        return answer(200, "<InitiateMultipartUploadResult><UploadId>up-1</UploadId></InitiateMultipartUploadResult>");
      }
      if (s.method == "PUT" && has(s.url, "partNumber=")) {
        const long status = part_status(++m_part_attempts);
        if (status != 200) {
          return answer(
            status, fmt::format("<Error><Code>{}</Code></Error>", status >= 500 ? "InternalError" : "AccessDenied"));
        }
        return answer(200, "", {{"etag", "\"" + to_hex(sha256(io::as_bytes(s.body))).substr(0, 8) + "\""}});
      }
      if (s.method == "POST" && has(s.url, "uploadId=up-1")) {
        return answer(200, "<CompleteMultipartUploadResult><ETag>\"x-3\"</ETag></CompleteMultipartUploadResult>");
      }
      if (s.method == "DELETE" && has(s.url, "uploadId=up-1")) {
        return answer(204);
      }
      return answer(400, "<Error><Code>Unexpected</Code></Error>");
    };
  }

  S3Settings m_settings;
  util::CapturingLogger m_log;
  util::FixedClock m_clock{std::chrono::system_clock::from_time_t(1795684858)};  // 2026-11-26T09:20:58Z
  util::CancelToken m_cancel;
  testing::TempDir m_state;
  FakeS3 m_s3;
  int m_part_attempts = 0;
};

TEST_F(S3BackendTest, PreflightAccessDeniedIsAWarningOnlyWithoutPruning) {
  m_s3.handler = [](const Seen&) {
    return answer(403, "<Error><Code>AccessDenied</Code><Message>no</Message></Error>");
  };
  auto b = backend();
  EXPECT_TRUE(b->preflight(ListAccess::optional));
  EXPECT_TRUE(m_log.contains("may not list the bucket"));
  const auto needed = b->preflight(ListAccess::needed);
  ASSERT_FALSE(needed);
  EXPECT_EQ(needed.error().kind(), util::ErrorKind::auth);
  EXPECT_TRUE(has(needed.error().message(), "AccessDenied"));
  const auto seen = m_s3.seen();
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(has(seen[0].url, "http://s3.test/bkt?list-type=2&max-keys=1&prefix=base%2F")) << seen[0].url;
}

TEST_F(S3BackendTest, LogsOffensLineForAStoredCopy) {
  const std::vector<std::string> expected{"Uploaded a copy of backup `backup.tar.gz` to bucket `bkt`."};
  EXPECT_EQ(backend()->stored_messages("backup.tar.gz"), expected);
}

TEST_F(S3BackendTest, PreflightSignatureMismatchAlwaysFails) {
  m_s3.handler = [](const Seen&) { return answer(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>"); };
  const auto checked = backend()->preflight(ListAccess::optional);
  ASSERT_FALSE(checked);
  EXPECT_TRUE(has(checked.error().message(), "SignatureDoesNotMatch"));
  EXPECT_EQ(m_s3.seen().size(), 1U);  // auth errors are not retried
}

TEST_F(S3BackendTest, ListPagesAndStripsThePath) {
  m_s3.handler = [](const Seen& s) {
    if (!has(s.url, "continuation-token")) {
      return answer(200, R"(<ListBucketResult><IsTruncated>true</IsTruncated>
<NextContinuationToken>t/2</NextContinuationToken>
<Contents><Key>base/backup-1.tar.gz</Key><Size>3</Size><LastModified>2026-11-20T00:00:00.000Z</LastModified></Contents>
</ListBucketResult>)");
    }
    EXPECT_TRUE(has(s.url, "continuation-token=t%2F2"));
    return answer(200, R"(<ListBucketResult><IsTruncated>false</IsTruncated>
<Contents><Key>base/backup-2.tar.gz</Key><Size>4</Size><LastModified>2026-11-21T00:00:00.000Z</LastModified></Contents>
</ListBucketResult>)");
  };
  std::vector<ObjectInfo> found;
  ASSERT_TRUE(backend()->list("backup-", [&](const ObjectInfo& info) -> util::Result<void> {
    found.push_back(info);
    return {};
  }));
  ASSERT_EQ(found.size(), 2U);
  EXPECT_EQ(found[0].key, "backup-1.tar.gz");
  EXPECT_EQ(found[1].key, "backup-2.tar.gz");
  EXPECT_EQ(found[1].size, 4U);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(found[1].modified), 1795219200);
}

TEST_F(S3BackendTest, RemoveManyBatchesAThousandKeysWithContentMd5) {
  m_s3.handler = [](const Seen&) { return answer(200, "<DeleteResult/>"); };
  std::vector<std::string> keys;
  for (int i = 0; i < 2500; ++i) {
    keys.push_back(fmt::format("backup-{}.tar.gz", i));
  }
  ASSERT_TRUE(backend()->remove_many(keys));
  const auto posts = m_s3.matching("POST", "?delete");
  ASSERT_EQ(posts.size(), 3U);
  const auto count = [](const std::string& body) {
    std::size_t n = 0;
    for (auto p = body.find("<Object>"); p != std::string::npos; p = body.find("<Object>", p + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count(posts[0].body), 1000U);
  EXPECT_EQ(count(posts[2].body), 500U);
  EXPECT_TRUE(has(posts[0].body, "<Key>base/backup-0.tar.gz</Key>"));
  EXPECT_EQ(posts[0].header("Content-MD5"), md5_base64(posts[0].body));
}

TEST_F(S3BackendTest, ASmallArchiveIsOnePutWithContentMd5) {
  m_s3.handler = [](const Seen&) { return answer(200); };
  auto b = backend();
  auto upload = b->begin_upload("backup.tar.zst", PutOptions{"application/zstd"});
  ASSERT_TRUE(upload);
  const std::string data(1000, 'x');
  ASSERT_TRUE((*upload)->write(io::as_bytes(data)));
  ASSERT_TRUE((*upload)->finish());
  const auto seen = m_s3.seen();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].url, "http://s3.test/bkt/base/backup.tar.zst");
  EXPECT_EQ(seen[0].body, data);
  EXPECT_EQ(seen[0].header("Content-MD5"), md5_base64(data));
  EXPECT_EQ(seen[0].header("Content-Type"), "application/zstd");
  EXPECT_EQ(seen[0].header("x-amz-content-sha256"), sha256_hex(data));
}

TEST_F(S3BackendTest, MultipartRetriesATransientPartFailureAndCompletesInOrder) {
  serve_multipart([](int attempt) { return attempt == 2 ? 503L : 200L; });
  auto b = backend();
  auto upload = b->begin_upload("big.tar", PutOptions{});
  ASSERT_TRUE(upload);
  std::string data(12 * 1024 * 1024, 'a');
  for (std::size_t i = 0; i < data.size(); i += 4093) {
    data[i] = static_cast<char>('a' + (i / 4093) % 26);  // no two parts alike
  }
  for (std::size_t off = 0; off < data.size(); off += 1 << 20) {
    ASSERT_TRUE((*upload)->write(io::as_bytes(std::string_view(data).substr(off, 1 << 20))));
  }
  ASSERT_TRUE((*upload)->finish());
  const auto parts = m_s3.matching("PUT", "partNumber=");
  EXPECT_EQ(parts.size(), 4U);  // 3 parts, one of them twice
  std::map<std::string, std::string> by_number;
  for (const auto& p : parts) {
    const auto n = p.url.substr(p.url.find("partNumber=") + 11, 1);
    by_number[n] = p.body;
    EXPECT_EQ(p.header("Content-MD5"), md5_base64(p.body));
  }
  EXPECT_EQ(by_number["1"] + by_number["2"] + by_number["3"], data);
  const auto complete = m_s3.matching("POST", "uploadId=up-1");
  ASSERT_EQ(complete.size(), 1U);
  EXPECT_LT(complete[0].body.find("<PartNumber>1</PartNumber>"), complete[0].body.find("<PartNumber>3</PartNumber>"));
  EXPECT_TRUE(m_log.contains("Retrying S3 request"));
  EXPECT_TRUE(m_s3.matching("DELETE", "uploadId").empty());
}

TEST_F(S3BackendTest, APermanentPartFailureAbortsTheUpload) {
  serve_multipart([](int) { return 403L; });
  {
    auto b = backend();
    auto upload = b->begin_upload("big.tar", PutOptions{});
    ASSERT_TRUE(upload);
    const std::string chunk(1 << 20, 'z');
    util::Result<void> written;
    for (int i = 0; i < 12 && written; ++i) {
      written = (*upload)->write(io::as_bytes(chunk));
    }
    if (written) {
      written = (*upload)->finish();
    }
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().kind(), util::ErrorKind::auth);
  }
  EXPECT_EQ(m_s3.matching("DELETE", "uploadId=up-1").size(), 1U);
  EXPECT_TRUE(m_s3.matching("POST", "uploadId=up-1").empty());
}

TEST_F(S3BackendTest, RemovesRecordedAndDayOldUploads) {
  ASSERT_TRUE(StaleUploadJournal(m_state.path(), "s3-stale-uploads").record({"bkt", "base/old.tar", "rec-1"}));
  m_s3.handler = [](const Seen& s) {
    if (s.method == "GET" && has(s.url, "uploads=")) {
      EXPECT_TRUE(has(s.url, "prefix=base%2F"));
      return answer(200, R"(<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>
<Upload><Key>base/a.tar</Key><UploadId>day-old</UploadId><Initiated>2026-11-25T09:00:00.000Z</Initiated></Upload>
<Upload><Key>base/b.tar</Key><UploadId>fresh</UploadId><Initiated>2026-11-26T09:00:00.000Z</Initiated></Upload>
</ListMultipartUploadsResult>)");
    }
    return answer(204);
  };
  const auto removed = backend()->remove_incomplete_uploads();
  ASSERT_TRUE(removed) << removed.error().message();
  EXPECT_EQ(*removed, 2U);
  EXPECT_EQ(m_s3.matching("DELETE", "uploadId=rec-1").size(), 1U);
  EXPECT_EQ(m_s3.matching("DELETE", "uploadId=day-old").size(), 1U);
  EXPECT_TRUE(m_s3.matching("DELETE", "uploadId=fresh").empty());
  EXPECT_TRUE(StaleUploadJournal(m_state.path(), "s3-stale-uploads").load()->empty());
}

TEST_F(S3BackendTest, WriteOnlyKeysSkipTheUploadSweepWithAWarning) {
  m_s3.handler = [](const Seen&) { return answer(403, "<Error><Code>AccessDenied</Code></Error>"); };
  const auto removed = backend()->remove_incomplete_uploads();
  ASSERT_TRUE(removed) << removed.error().message();
  EXPECT_EQ(*removed, 0U);
  EXPECT_TRUE(m_log.contains("Cannot list incomplete multipart uploads"));
}

}  // namespace
}  // namespace volback::storage::s3
