#pragma once
// An in-memory storage::Backend for tests, with failure injection.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/util/clock.hpp>

namespace volback::testing {

class MemoryBackend final : public storage::Backend {
 public:
  struct Object {
    std::string data;
    util::TimePoint modified;
  };

  // `clock` must outlive the backend; it stamps committed objects.
  explicit MemoryBackend(const util::Clock& clock, std::string name = "Memory")
    : m_clock(clock), m_name(std::move(name)) {}

  // Failure injection: the next uploads fail to begin, or fail on write once they hold
  // more than this many bytes.
  std::optional<util::Error> fail_begin;
  std::optional<std::uint64_t> fail_after_bytes;
  // remove_incomplete_uploads() fails with this error.
  std::optional<util::Error> fail_sweep;
  // What properties() says.
  storage::Properties props{.streaming_upload = true, .local_disk = false};

  std::string_view name() const override { return m_name; }
  std::string describe() const override { return "memory"; }
  storage::Properties properties() const override { return props; }
  util::Result<std::unique_ptr<storage::UploadSink>> begin_upload(std::string_view key,
                                                                  const storage::PutOptions& options) override;
  util::Result<std::unique_ptr<io::Source>> open(std::string_view key, const storage::ByteRange& range = {}) override;
  util::Result<void> list(std::string_view prefix,
                          const std::function<util::Result<void>(const storage::ObjectInfo&)>& visit) override;
  util::Result<std::optional<storage::ObjectInfo>> stat(std::string_view key) override;
  util::Result<void> remove(std::string_view key) override;
  util::Result<unsigned> remove_incomplete_uploads() override {
    if (fail_sweep) {
      return util::fail(*fail_sweep);
    }
    return 0U;
  }

  // Stores a finished upload (MemoryUpload::finish).
  void commit(const std::string& key, std::string data, const std::string& content_type, util::TimePoint modified);

  // The maps below are for a test to inspect or change while no other thread uses the
  // backend; the backend's own methods may be called from several threads at once.
  // Committed objects by key.
  std::map<std::string, Object, std::less<>> objects;
  // Content types of committed uploads by key.
  std::map<std::string, std::string, std::less<>> content_types;
  // The options of every upload begun, by key.
  std::map<std::string, storage::PutOptions, std::less<>> put_options;

 private:
  const util::Clock& m_clock;
  std::string m_name;
  std::mutex m_mutex;  // guards the maps while the backend's methods run
};

}  // namespace volback::testing
