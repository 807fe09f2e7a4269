#include <volback/restic/pack_pipeline.hpp>

#include <algorithm>

namespace volback::restic {

namespace {

// Buffers are kept for reuse up to this capacity: a warm pipeline allocates nothing for
// the usual blobs (restic's chunks average 1 MiB), and a rare large one (up to 8 MiB) is
// not held for the rest of the backup.
constexpr std::size_t k_kept_buffer = std::size_t{2} << 20;

void release_if_large(std::string& buffer) {
  if (buffer.capacity() > k_kept_buffer) {
    buffer = std::string();
  }
}

}  // namespace

PackPipeline::PackPipeline(Repository& repository, PackPipelineOptions options)
  : m_repository(repository), m_options(options) {
  if (m_options.workers == 0) {
    // The caller's thread reads, chunks and hashes: it takes one core.
    const unsigned cores = std::thread::hardware_concurrency();
    m_options.workers = cores > 1 ? cores - 1 : 1;
  }
  m_spare_limit = m_options.queue_bytes + (m_options.workers + 1) * k_kept_buffer;
  m_threads.emplace_back([this] { upload(); });
  for (std::size_t i = 0; i < m_options.workers; ++i) {
    m_threads.emplace_back([this] { work(); });
  }
}

PackPipeline::~PackPipeline() {
  {
    const std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  wake_everyone();
  for (auto& thread : m_threads) {
    thread.join();
  }
}

void PackPipeline::wake_everyone() {
  m_work_ready.notify_all();
  m_space.notify_all();
  m_slot_filled.notify_all();
  m_slot_empty.notify_all();
  m_idle.notify_all();
}

void PackPipeline::fail(util::Error error) {
  if (!m_failure) {
    m_failure = std::move(error);
  }
  m_queue.clear();
  m_queued_bytes = 0;
  wake_everyone();
}

util::Result<void> PackPipeline::submit(BlobType type, const Id& id, std::string& plaintext) {
  std::unique_lock lock(m_mutex);
  // One blob larger than the queue's limit still goes in, alone.
  m_space.wait(lock, [&] {
    return m_failure || m_queued_bytes == 0 || m_queued_bytes + plaintext.size() <= m_options.queue_bytes;
  });
  if (m_failure) {
    return util::fail(*m_failure);
  }
  m_queued_bytes += plaintext.size();
  m_queue.push_back({type, id, std::move(plaintext)});
  plaintext = spare_buffer();
  m_work_ready.notify_one();
  return {};
}

std::string PackPipeline::spare_buffer() {
  if (m_spare_plaintext.empty()) {
    return {};
  }
  std::string buffer = std::move(m_spare_plaintext.back());
  m_spare_plaintext.pop_back();
  m_spare_bytes -= buffer.capacity();
  buffer.clear();
  return buffer;
}

void PackPipeline::keep_spare(std::string buffer) {
  release_if_large(buffer);
  if (m_spare_bytes + buffer.capacity() <= m_spare_limit) {
    m_spare_bytes += buffer.capacity();
    m_spare_plaintext.push_back(std::move(buffer));
  }
}

void PackPipeline::work() {
  SealedBlob sealed;
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_work_ready.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
    if (m_stopping) {
      return;
    }
    Job job = std::move(m_queue.front());
    m_queue.pop_front();
    m_queued_bytes -= job.plaintext.size();
    ++m_busy_workers;
    m_space.notify_one();
    lock.unlock();
    const auto plaintext =
      std::span(reinterpret_cast<const unsigned char*>(job.plaintext.data()), job.plaintext.size());
    const auto sealing = seal_blob_into(m_repository.key(), job.type, job.id, plaintext, m_options.compress, sealed);
    lock.lock();
    keep_spare(std::move(job.plaintext));
    if (!sealing) {
      fail(sealing.error());
    } else {
      // A pack is finished before a blob would take it past the target, so that it never
      // needs more than the target's memory (a single larger blob goes alone).
      auto& builder = builder_for(job.type);
      while (builder && builder->size() + sealed.bytes.size() > m_options.pack_size && hand_over(lock, builder)) {
      }
      if (!m_failure && !m_stopping) {
        append(builder, sealed);
      }
    }
    release_if_large(sealed.bytes);
    if (--m_busy_workers == 0 && m_queue.empty()) {
      m_idle.notify_all();
    }
  }
}

bool PackPipeline::append(std::optional<PackFile>& builder, const SealedBlob& sealed) {
  if (!builder) {
    auto created = PackFile::create(m_options.temp_dir);
    if (!created) {
      fail(created.error());
      return false;
    }
    builder.emplace(std::move(*created));
  }
  if (auto appended = builder->append(sealed); !appended) {
    fail(appended.error());
    return false;
  }
  return true;
}

bool PackPipeline::hand_over(std::unique_lock<std::mutex>& lock, std::optional<PackFile>& builder) {
  m_slot_empty.wait(lock, [&] { return m_stopping || m_failure || !m_slot; });
  if (m_stopping || m_failure) {
    return false;
  }
  if (!builder) {  // another thread handed this pack over meanwhile
    return true;
  }
  auto pack = builder->finish(m_repository.key());
  builder.reset();
  if (!pack) {
    fail(pack.error());
    return false;
  }
  m_slot = std::move(*pack);
  m_slot_filled.notify_one();
  return true;
}

void PackPipeline::upload() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_slot_filled.wait(lock, [&] { return m_stopping || m_slot; });
    if (m_stopping) {
      return;
    }
    // Nothing else touches the slot while it is set.
    FinishedPackFile& pack = *m_slot;
    lock.unlock();
    auto saved = m_repository.save_pack(pack);
    lock.lock();
    if (saved) {
      m_uploaded.push_back({.pack = {.id = pack.id, .blobs = std::move(pack.blobs)}, .bytes = pack.size});
    } else {
      fail(saved.error());
    }
    m_slot.reset();
    m_slot_empty.notify_all();
  }
}

std::vector<UploadedPack> PackPipeline::take_uploaded() {
  const std::lock_guard lock(m_mutex);
  return std::exchange(m_uploaded, {});
}

util::Result<void> PackPipeline::drain() {
  std::unique_lock lock(m_mutex);
  m_idle.wait(lock, [&] { return m_failure || (m_queue.empty() && m_busy_workers == 0); });
  for (auto* builder : {&m_data, &m_tree}) {
    if (!m_failure && *builder) {
      hand_over(lock, *builder);
    }
  }
  m_slot_empty.wait(lock, [&] { return m_failure || !m_slot; });
  if (m_failure) {
    return util::fail(*m_failure);
  }
  return {};
}

}  // namespace volback::restic
