#include <volback/testing/memory_backend.hpp>

#include <volback/io/memory_source.hpp>

#include <algorithm>
#include <cstring>

namespace volback::testing {

namespace {

class MemoryUpload final : public storage::UploadSink {
 public:
  MemoryUpload(MemoryBackend& backend, std::string key, std::string content_type,
               std::optional<std::uint64_t> fail_after, const util::Clock& clock)
    : m_backend(backend),
      m_key(std::move(key)),
      m_content_type(std::move(content_type)),
      m_fail_after(fail_after),
      m_clock(clock) {}

  util::Result<void> write(std::span<const std::byte> data) override {
    m_data.append(reinterpret_cast<const char*>(data.data()), data.size());
    if (m_fail_after && m_data.size() > *m_fail_after) {
      return util::fail(util::ErrorKind::transient, "injected write failure");
    }
    return {};
  }
  util::Result<void> finish() override {
    m_info = {m_key, m_data.size(), m_clock.now()};
    m_backend.commit(m_key, std::move(m_data), m_content_type, m_info.modified);
    return {};
  }
  storage::ObjectInfo result() const override { return m_info; }

 private:
  MemoryBackend& m_backend;
  std::string m_key;
  std::string m_content_type;
  std::optional<std::uint64_t> m_fail_after;
  const util::Clock& m_clock;
  std::string m_data;
  storage::ObjectInfo m_info;
};

}  // namespace

util::Result<std::unique_ptr<storage::UploadSink>> MemoryBackend::begin_upload(std::string_view key,
                                                                               const storage::PutOptions& options) {
  const std::lock_guard lock(m_mutex);
  if (fail_begin) {
    return util::fail(*fail_begin);
  }
  VOLBACK_TRY(storage::check_key(key));
  put_options[std::string(key)] = options;
  return std::make_unique<MemoryUpload>(*this, std::string(key), options.content_type, fail_after_bytes, m_clock);
}

util::Result<std::unique_ptr<io::Source>> MemoryBackend::open(std::string_view key, const storage::ByteRange& range) {
  VOLBACK_TRY(storage::check_key(key));
  const std::lock_guard lock(m_mutex);
  const auto it = objects.find(key);
  if (it == objects.end()) {
    return util::fail(util::ErrorKind::not_found, std::string(key));
  }
  const std::string& data = it->second.data;
  const std::size_t offset = static_cast<std::size_t>(std::min<std::uint64_t>(range.offset, data.size()));
  const std::size_t length =
    static_cast<std::size_t>(std::min<std::uint64_t>(range.length.value_or(data.size()), data.size() - offset));
  return std::make_unique<io::MemorySource>(data.substr(offset, length));
}

util::Result<void> MemoryBackend::list(std::string_view prefix,
                                       const std::function<util::Result<void>(const storage::ObjectInfo&)>& visit) {
  std::vector<storage::ObjectInfo> listed;
  {
    const std::lock_guard lock(m_mutex);
    for (const auto& [key, object] : objects) {
      if (key.starts_with(prefix)) {
        listed.push_back({key, object.data.size(), object.modified});
      }
    }
  }
  for (const auto& object : listed) {
    VOLBACK_TRY(visit(object));
  }
  return {};
}

util::Result<std::optional<storage::ObjectInfo>> MemoryBackend::stat(std::string_view key) {
  const std::lock_guard lock(m_mutex);
  const auto it = objects.find(key);
  if (it == objects.end()) {
    return std::optional<storage::ObjectInfo>();
  }
  return std::optional<storage::ObjectInfo>(
    storage::ObjectInfo{it->first, it->second.data.size(), it->second.modified});
}

util::Result<void> MemoryBackend::remove(std::string_view key) {
  const std::lock_guard lock(m_mutex);
  if (const auto it = objects.find(key); it != objects.end()) {
    objects.erase(it);
  }
  return {};
}

void MemoryBackend::commit(const std::string& key, std::string data, const std::string& content_type,
                           util::TimePoint modified) {
  const std::lock_guard lock(m_mutex);
  objects[key] = {std::move(data), modified};
  content_types[key] = content_type;
}

}  // namespace volback::testing
