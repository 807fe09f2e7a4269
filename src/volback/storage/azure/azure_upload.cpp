#include <volback/storage/azure/azure_upload.hpp>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include <volback/fs/random_name.hpp>
#include <volback/storage/digest.hpp>
#include <volback/storage/part_pool.hpp>
#include <volback/storage/part_schedule.hpp>
#include <volback/util/memory_plan.hpp>

namespace volback::storage::azure {

namespace {

// Azure's block blobs: 50,000 blocks of up to 4000 MiB; the size doubles every 5,000.
constexpr PartLimits k_block_limits{1, 4000 * k_mib, 50'000, 5'000};

struct Block {
  unsigned number = 0;
  std::vector<std::byte> data;
};

std::string_view as_text(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

class AzureUpload final : public UploadSink {
 public:
  AzureUpload(AzureClient& client, const StaleUploadJournal& journal, std::string key, const PutOptions& options)
    : m_client(client),
      m_journal(journal),
      m_key(std::move(key)),
      m_blob(client.blob_name(m_key)),
      m_options(options),
      m_schedule(client.settings().block_size, k_block_limits),
      m_token(fs::random_suffix(16)),
      m_control(client.make_transport()),
      // Blocks in memory: one filling and one per upload in flight, within the memory plan.
      m_pool(PartBudget{std::max(client.settings().block_size,
                                 std::min((client.settings().concurrency + 1) * client.settings().block_size,
                                          util::memory_plan().part_buffer_bytes)),
                        0}) {}

  ~AzureUpload() override {
    if (!m_finished) {
      abort();
    }
  }

  util::Result<void> write(std::span<const std::byte> data) override {
    while (!data.empty()) {
      VOLBACK_TRY(check());
      if (m_current_size == 0) {
        VOLBACK_TRY(start_block());
      }
      const std::size_t n = std::min<std::size_t>(m_current_size - m_current.data.size(), data.size());
      m_current.data.insert(m_current.data.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data = data.subspan(n);
      m_size += n;
      if (m_current.data.size() == m_current_size) {
        VOLBACK_TRY(submit_current());
      }
    }
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(check());
    if (!m_pool.started()) {
      VOLBACK_TRY(put_single());
    } else {
      if (!m_current.data.empty()) {
        VOLBACK_TRY(submit_current());
      }
      VOLBACK_TRY(m_pool.wait_idle());
      VOLBACK_TRY(commit());
    }
    m_finished = true;
    m_pool.stop();
    m_result = ObjectInfo{m_key, m_size, util::TimePoint{}};
    return {};
  }

  ObjectInfo result() const override { return m_result; }

 private:
  util::Result<void> check() {
    VOLBACK_TRY(m_client.cancel().check());
    return m_pool.check();
  }

  util::Result<void> start_block() {
    if (m_next_number > k_block_limits.max_parts) {
      return util::fail(util::ErrorKind::permanent, "the archive exceeds Azure's 50,000 blocks");
    }
    const std::uint64_t size = m_schedule.part_size(m_next_number);
    VOLBACK_TRY(m_pool.acquire(PartCost{size, 0}));
    m_current.number = m_next_number++;
    m_current.data.reserve(size);
    m_current_size = size;
    return {};
  }

  std::string block_id(unsigned number) const {
    // Every id of a blob has the same length: 16 + 1 + 6 characters before base64.
    const std::string id = fmt::format("{}-{:06}", m_token, number);
    return to_base64({reinterpret_cast<const unsigned char*>(id.data()), id.size()});
  }

  util::Result<void> submit_current() {
    if (!m_pool.started()) {
      m_pool.start(m_client.settings().concurrency, [this] {
        return [this, transport = std::shared_ptr<http::Transport>(m_client.make_transport())](Block& block) {
          return put_block(*transport, block);
        };
      });
    }
    m_numbers.push_back(m_current.number);
    m_pool.submit(std::move(m_current), PartCost{m_current_size, 0});
    m_current = Block{};
    m_current_size = 0;
    return {};
  }

  util::Result<void> put_block(http::Transport& transport, const Block& block) {
    AzureRequest request;
    request.method = "PUT";
    request.blob = m_blob;
    request.query = {{"comp", "block"}, {"blockid", block_id(block.number)}};
    request.headers = {{"Content-MD5", md5_base64(as_text(block.data))}};
    request.body_bytes = block.data;
    m_client.log().debug("Uploading block", {{"blob", m_blob}, {"block", block.number}, {"size", block.data.size()}});
    VOLBACK_TRY(
      m_client.call(transport, request, fmt::format("Put Block {} of {}", block.number, m_blob), m_pool.stop_flag()));
    return {};
  }

  std::vector<std::pair<std::string, std::string>> blob_headers(std::string_view content_type_header) const {
    std::vector<std::pair<std::string, std::string>> headers{
      {std::string(content_type_header), m_options.content_type}};
    if (!m_client.settings().access_tier.empty()) {
      headers.emplace_back("x-ms-access-tier", m_client.settings().access_tier);
    }
    return headers;
  }

  util::Result<void> put_single() {
    AzureRequest request;
    request.method = "PUT";
    request.blob = m_blob;
    request.headers = blob_headers("Content-Type");
    request.headers.emplace_back("x-ms-blob-type", "BlockBlob");
    request.headers.emplace_back("Content-MD5", md5_base64(as_text(m_current.data)));
    request.body_bytes = m_current.data;
    VOLBACK_TRY(m_client.call(*m_control, request, fmt::format("Put Blob {}", m_blob)));
    m_pool.release(PartCost{m_current_size, 0});
    m_current = Block{};
    m_current_size = 0;
    return {};
  }

  util::Result<void> commit() {
    std::string body = R"(<?xml version="1.0" encoding="utf-8"?><BlockList>)";
    for (const unsigned number : m_numbers) {
      body += "<Latest>" + block_id(number) + "</Latest>";
    }
    body += "</BlockList>";
    AzureRequest request;
    request.method = "PUT";
    request.blob = m_blob;
    request.query = {{"comp", "blocklist"}};
    request.headers = blob_headers("x-ms-blob-content-type");
    request.headers.emplace_back("Content-Type", "application/xml");
    request.body = std::move(body);
    VOLBACK_TRY(m_client.call(*m_control, request, fmt::format("Put Block List {}", m_blob)));
    m_client.log().debug("Committed block list", {{"blob", m_blob}, {"blocks", m_numbers.size()}});
    return {};
  }

  void abort() {
    const bool staged = m_pool.started();
    m_pool.stop();
    if (!staged) {
      return;
    }
    auto& log = m_client.log();
    // Its own transport, which a cancelled run does not interrupt: the clean-up must still
    // go out after SIGTERM.
    const auto transport = m_client.make_transport(AzureClient::Cancellation::ignore);
    auto removed = remove_staged_blocks(m_client, *transport, m_blob);
    if (removed) {
      log.info("Removed the blocks of the unfinished Azure upload", {{"blob", m_blob}});
      return;
    }
    log.warn("Could not remove the blocks of the unfinished Azure upload; the next run will",
             {{"blob", m_blob}, {"error", removed.error().message()}});
    if (auto recorded = m_journal.record({m_client.settings().container, m_blob, m_token}); !recorded) {
      log.error("Could not record the unfinished Azure upload",
                {{"blob", m_blob}, {"error", recorded.error().message()}});
    }
  }

  AzureClient& m_client;
  const StaleUploadJournal& m_journal;
  std::string m_key;
  std::string m_blob;
  PutOptions m_options;
  PartSchedule m_schedule;
  std::string m_token;
  std::unique_ptr<http::Transport> m_control;  // single Put Blob, Put Block List

  Block m_current;
  std::uint64_t m_current_size = 0;
  unsigned m_next_number = 1;
  std::uint64_t m_size = 0;
  std::vector<unsigned> m_numbers;  // the blocks submitted, in order
  bool m_finished = false;
  ObjectInfo m_result;
  PartPool<Block> m_pool;  // last: its workers use the members above
};

}  // namespace

std::unique_ptr<UploadSink> make_azure_upload(AzureClient& client, const StaleUploadJournal& journal, std::string key,
                                              const PutOptions& options) {
  return std::make_unique<AzureUpload>(client, journal, std::move(key), options);
}

util::Result<void> remove_staged_blocks(AzureClient& client, http::Transport& transport, const std::string& blob) {
  AzureRequest head;
  head.method = "HEAD";
  head.blob = blob;
  auto exists = client.call_once(transport, head, fmt::format("Get Blob Properties {}", blob));
  if (exists) {
    return {};  // a committed blob: its uncommitted blocks expire by themselves
  }
  if (exists.error().kind() != util::ErrorKind::not_found) {
    return util::fail(exists.error());
  }
  AzureRequest remove;
  remove.method = "DELETE";
  remove.blob = blob;
  auto removed = client.call_once(transport, remove, fmt::format("Delete Blob {}", blob));
  if (removed || removed.error().kind() != util::ErrorKind::not_found) {
    return removed ? util::Result<void>() : util::fail(removed.error());
  }
  // Only uncommitted blocks, which the service does not delete: commit none of them,
  // marked, then delete that empty blob.
  AzureRequest commit;
  commit.method = "PUT";
  commit.blob = blob;
  commit.query = {{"comp", "blocklist"}};
  commit.headers = {{"Content-Type", "application/xml"}, {"x-ms-meta-volbackpartial", "1"}};
  commit.body = R"(<?xml version="1.0" encoding="utf-8"?><BlockList></BlockList>)";
  VOLBACK_TRY(client.call_once(transport, commit, fmt::format("Put Block List {}", blob)));
  auto deleted = client.call_once(transport, remove, fmt::format("Delete Blob {}", blob));
  if (!deleted && deleted.error().kind() != util::ErrorKind::not_found) {
    return util::fail(deleted.error());
  }
  return {};
}

}  // namespace volback::storage::azure
