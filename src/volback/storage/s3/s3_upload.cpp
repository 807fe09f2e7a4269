#include <volback/storage/s3/s3_upload.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <volback/storage/digest.hpp>
#include <volback/storage/part_pool.hpp>
#include <volback/storage/s3/part_schedule.hpp>
#include <volback/storage/s3/s3_xml.hpp>

namespace volback::storage::s3 {

namespace {

// An unlinked temporary file holding a part too large for the part-buffer limit.
class SpillFile {
 public:
  SpillFile() = default;
  explicit SpillFile(int fd) : m_fd(fd) {}
  SpillFile(SpillFile&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  SpillFile& operator=(SpillFile&& other) noexcept {
    if (this != &other) {
      reset();
      m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
  }
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;
  ~SpillFile() { reset(); }
  int fd() const { return m_fd; }

 private:
  void reset() {
    if (m_fd >= 0) {
      ::close(m_fd);
      m_fd = -1;
    }
  }
  int m_fd = -1;
};

struct Part {
  unsigned number = 0;
  std::vector<std::byte> data;  // the bytes, unless spilled
  std::uint64_t reserved = 0;   // the part's full size
  SpillFile file;               // spilled: the bytes are here instead
  std::uint64_t length = 0;     // bytes in `file`

  bool spilled() const { return file.fd() >= 0; }
  std::uint64_t size() const { return spilled() ? length : data.size(); }
  // What the part holds against the pool's limits.
  PartCost cost() const { return spilled() ? PartCost{0, 1} : PartCost{reserved, 0}; }
};

// At most this many spilled parts exist at once (one filling, one uploading), which
// bounds the temporary disk space to twice the part size.
constexpr unsigned k_max_spilled = 2;

util::Result<void> write_all(int fd, std::span<const std::byte> data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return util::fail(util::errno_error(errno, "writing a spilled S3 part"));
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return {};
}

// Content-MD5 and SHA-256 of a part, from memory or from its spill file.
util::Result<PartDigest> digest_of(const Part& part) {
  PartDigest digest;
  if (!part.spilled()) {
    digest.update(part.data);
  } else {
    std::vector<std::byte> buffer(1 << 20);
    std::uint64_t offset = 0;
    while (offset < part.length) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), part.length - offset));
      const ssize_t n = ::pread(part.file.fd(), buffer.data(), want, static_cast<off_t>(offset));
      if (n <= 0) {
        return util::fail(util::errno_error(n < 0 ? errno : EIO, "reading a spilled S3 part"));
      }
      digest.update(std::span<const std::byte>(buffer.data(), static_cast<std::size_t>(n)));
      offset += static_cast<std::uint64_t>(n);
    }
  }
  digest.finish();
  return digest;
}

// Puts the part's body into `request`.
void set_body(S3Request& request, const Part& part, const PartDigest& digest) {
  if (part.spilled()) {
    request.body_fd = part.file.fd();
    request.body_size = part.length;
  } else {
    request.body_bytes = part.data;
  }
  request.payload_sha256 = part.size() == 0 ? std::string() : digest.sha256_hex();
}

class S3Upload final : public UploadSink {
 public:
  S3Upload(S3Client& client, const StaleUploadJournal& journal, std::string name, const PutOptions& options,
           std::string spill_dir)
    : m_client(client),
      m_journal(journal),
      m_name(std::move(name)),
      m_key(client.object_key(m_name)),
      m_options(options),
      m_schedule(client.settings().part_size, k_s3_part_limits),
      m_spill_dir(std::move(spill_dir)),
      m_control(client.make_transport()),
      m_pool(PartBudget{client.settings().part_buffer_limit, k_max_spilled}) {}

  ~S3Upload() override {
    if (!m_finished) {
      abort();
    }
  }

  util::Result<void> write(std::span<const std::byte> data) override {
    while (!data.empty()) {
      VOLBACK_TRY(check());
      if (m_current.reserved == 0) {
        VOLBACK_TRY(start_part());
      }
      const auto room = m_current.reserved - m_current.size();
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(room, data.size()));
      if (m_current.spilled()) {
        VOLBACK_TRY(write_all(m_current.file.fd(), data.first(n)));
        m_current.length += n;
      } else {
        m_current.data.insert(m_current.data.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      }
      data = data.subspan(n);
      m_size += n;
      if (m_current.size() == m_current.reserved) {
        VOLBACK_TRY(submit_current());
      }
    }
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(check());
    if (m_upload_id.empty()) {
      VOLBACK_TRY(put_single());
    } else {
      if (m_current.size() > 0) {
        VOLBACK_TRY(submit_current());
      }
      VOLBACK_TRY(m_pool.wait_idle());
      VOLBACK_TRY(complete());
    }
    m_finished = true;
    m_pool.stop();
    m_result = ObjectInfo{m_name, m_size, util::TimePoint{}};
    return {};
  }

  ObjectInfo result() const override { return m_result; }

 private:
  util::Result<void> check() {
    VOLBACK_TRY(m_client.cancel().check());
    return m_pool.check();
  }

  // Starts filling the next part once the buffer limit leaves room for it.
  util::Result<void> start_part() {
    const unsigned number = m_next_number;
    if (number > k_max_parts) {
      return util::fail(util::ErrorKind::permanent, "the archive exceeds S3's 10,000 parts");
    }
    const std::uint64_t size = m_schedule.part_size(number);
    // A part larger than the whole buffer limit goes to an unlinked temporary file, so
    // memory stays bounded however large parts grow.
    const bool spill = size > m_client.settings().part_buffer_limit && !m_spill_dir.empty();
    const PartCost cost = spill ? PartCost{0, 1} : PartCost{size, 0};
    VOLBACK_TRY(m_pool.acquire(cost));
    m_current.number = number;
    m_current.reserved = size;
    if (spill) {
      const int fd = ::open(m_spill_dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
      if (fd < 0) {
        const int err = errno;
        m_pool.release(cost);
        m_current = Part{};
        return util::fail(util::errno_error(err, "creating a temporary file for an S3 part in " + m_spill_dir));
      }
      m_current.file = SpillFile(fd);
    } else {
      m_current.data.reserve(size);
    }
    ++m_next_number;
    return {};
  }

  util::Result<void> submit_current() {
    if (m_upload_id.empty()) {
      VOLBACK_TRY(initiate());
    }
    const PartCost cost = m_current.cost();
    m_pool.submit(std::move(m_current), cost);
    m_current = Part{};
    return {};
  }

  std::vector<std::pair<std::string, std::string>> object_headers() const {
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", m_options.content_type}};
    if (!m_client.settings().storage_class.empty()) {
      headers.emplace_back("x-amz-storage-class", m_client.settings().storage_class);
    }
    return headers;
  }

  util::Result<void> put_single() {
    VOLBACK_TRY_ASSIGN(const auto digest, digest_of(m_current));
    S3Request request;
    request.method = "PUT";
    request.key = m_key;
    request.headers = object_headers();
    request.headers.emplace_back("Content-MD5", digest.md5_base64());
    set_body(request, m_current, digest);
    VOLBACK_TRY(m_client.call(*m_control, request, fmt::format("PutObject {}", m_key)));
    m_pool.release(m_current.cost());
    m_current = Part{};
    return {};
  }

  util::Result<void> initiate() {
    S3Request request;
    request.method = "POST";
    request.key = m_key;
    request.query = {{"uploads", ""}};
    request.headers = object_headers();
    VOLBACK_TRY_ASSIGN(auto response,
                       m_client.call(*m_control, request, fmt::format("CreateMultipartUpload {}", m_key)));
    VOLBACK_TRY_ASSIGN(m_upload_id, parse_initiate_multipart(response.body));
    m_client.log().debug("Started multipart upload", {{"key", m_key}, {"upload_id", m_upload_id}});
    m_pool.start(m_client.settings().concurrency, [this] {
      return [this, transport = std::shared_ptr<http::Transport>(m_client.make_transport())](Part& part) {
        return upload_part(*transport, part);
      };
    });
    return {};
  }

  // Uploads `part` and records its ETag.
  util::Result<void> upload_part(http::Transport& transport, const Part& part) {
    VOLBACK_TRY_ASSIGN(const auto digest, digest_of(part));
    S3Request request;
    request.method = "PUT";
    request.key = m_key;
    request.query = {{"partNumber", std::to_string(part.number)}, {"uploadId", m_upload_id}};
    request.headers = {{"Content-MD5", digest.md5_base64()}};
    set_body(request, part, digest);
    m_client.log().debug(
      "Uploading part",
      {{"key", m_key}, {"part", part.number}, {"size", part.size()}, {"spilled", part.spilled() ? "true" : "false"}});
    VOLBACK_TRY_ASSIGN(
      auto response,
      m_client.call(transport, request, fmt::format("UploadPart {} of {}", part.number, m_key), m_pool.stop_flag()));
    const auto etag = response.header("etag");
    if (!etag) {
      return util::fail(util::ErrorKind::permanent, fmt::format("UploadPart {}: the answer has no ETag", part.number));
    }
    std::lock_guard lock(m_etags_mutex);
    m_etags[part.number] = std::string(*etag);
    return {};
  }

  util::Result<void> complete() {
    std::string body = "<CompleteMultipartUpload>";
    for (const auto& [number, etag] : m_etags) {
      body += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", number, xml_escape(etag));
    }
    body += "</CompleteMultipartUpload>";
    S3Request request;
    request.method = "POST";
    request.key = m_key;
    request.query = {{"uploadId", m_upload_id}};
    request.headers = {{"Content-Type", "application/xml"}};
    request.body = std::move(body);
    const std::string what = fmt::format("CompleteMultipartUpload {}", m_key);
    // A 200 answer may still carry an error document; retry those that are transient.
    const auto first = std::chrono::steady_clock::now();
    for (unsigned attempt = 1;; ++attempt) {
      VOLBACK_TRY_ASSIGN(auto response, m_client.call(*m_control, request, what));
      auto etag = parse_complete_multipart(response.body);
      if (etag) {
        m_client.log().debug("Completed multipart upload",
                             {{"key", m_key}, {"parts", m_etags.size()}, {"etag", *etag}});
        return {};
      }
      const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - first);
      const auto wait = m_client.settings().retry.backoff(attempt, 0.5);
      if (!m_client.settings().retry.should_retry(etag.error().kind(), attempt, elapsed, wait)) {
        return util::fail(etag.error());
      }
      std::this_thread::sleep_for(wait);
    }
  }

  void abort() {
    m_pool.stop();
    if (m_upload_id.empty()) {
      return;
    }
    S3Request request;
    request.method = "DELETE";
    request.key = m_key;
    request.query = {{"uploadId", m_upload_id}};
    auto& log = m_client.log();
    // A transport of its own that a cancelled run does not interrupt: the abort must still
    // go out after SIGTERM (one attempt then, as call() stops retrying once cancelled).
    const auto transport = m_client.make_transport(S3Client::Cancellation::ignore);
    auto aborted = m_client.call(*transport, request, fmt::format("AbortMultipartUpload {}", m_key));
    if (aborted || aborted.error().kind() == util::ErrorKind::not_found) {
      log.info("Aborted the unfinished multipart upload", {{"key", m_key}, {"upload_id", m_upload_id}});
      return;
    }
    log.warn("Could not abort the unfinished multipart upload; the next run will",
             {{"key", m_key}, {"upload_id", m_upload_id}, {"error", aborted.error().message()}});
    if (auto recorded = m_journal.record({m_client.settings().bucket, m_key, m_upload_id}); !recorded) {
      log.error("Could not record the unfinished multipart upload",
                {{"key", m_key}, {"upload_id", m_upload_id}, {"error", recorded.error().message()}});
    }
  }

  S3Client& m_client;
  const StaleUploadJournal& m_journal;
  std::string m_name;
  std::string m_key;
  PutOptions m_options;
  PartSchedule m_schedule;
  std::string m_spill_dir;
  std::unique_ptr<http::Transport> m_control;  // initiate, single PUT, complete, abort

  Part m_current;
  unsigned m_next_number = 1;
  std::uint64_t m_size = 0;
  std::string m_upload_id;
  bool m_finished = false;
  ObjectInfo m_result;

  std::mutex m_etags_mutex;
  std::map<unsigned, std::string> m_etags;  // guarded by m_etags_mutex; complete() reads it once the pool is idle
  PartPool<Part> m_pool;                    // last: its workers use the members above
};

}  // namespace

std::unique_ptr<UploadSink> make_s3_upload(S3Client& client, const StaleUploadJournal& journal, std::string name,
                                           const PutOptions& options, std::string spill_dir) {
  return std::make_unique<S3Upload>(client, journal, std::move(name), options, std::move(spill_dir));
}

}  // namespace volback::storage::s3
