#include <volback/restic/blob_saver.hpp>

namespace volback::restic {

namespace {

PackPipelineOptions blob_saver_pipeline_options(const Repository& repository, PackPipelineOptions options) {
  options.compress = options.compress && repository.config().version >= 2;
  return options;
}

}  // namespace

BlobSaver::BlobSaver(Repository& repository, BlobIndex& index, BlobSaverOptions options)
  : m_repository(repository),
    m_index(index),
    m_options(options),
    m_pipeline(repository, blob_saver_pipeline_options(repository, options.pipeline)) {}

util::Result<void> BlobSaver::save(BlobType type, const Id& id, std::string& plaintext) {
  VOLBACK_TRY(absorb(false));
  auto& pending = type == BlobType::data ? m_pending_data : m_pending_tree;
  if (pending.contains(id) || m_index.contains(type, id)) {
    ++m_stats.blobs_known;
    return {};
  }
  const std::size_t size = plaintext.size();
  VOLBACK_TRY(m_pipeline.submit(type, id, plaintext));
  pending.insert(id);
  ++m_stats.blobs_new;
  m_stats.data_blobs_new += type == BlobType::data ? 1 : 0;
  m_stats.bytes_new += size;
  return {};
}

util::Result<void> BlobSaver::save(BlobType type, const Id& id, std::span<const unsigned char> plaintext) {
  std::string copy(reinterpret_cast<const char*>(plaintext.data()), plaintext.size());
  return save(type, id, copy);
}

void BlobSaver::adopt(IndexedPack pack) {
  ++m_stats.packs_reused;
  m_index.add_pack(pack);
  m_unlisted_blobs += pack.blobs.size();
  m_unlisted.packs.push_back(std::move(pack));
}

util::Result<void> BlobSaver::absorb(bool all) {
  for (auto& uploaded : m_pipeline.take_uploaded()) {
    m_stats.bytes_stored += uploaded.bytes;
    ++m_stats.packs;
    m_batch_blobs += uploaded.pack.blobs.size();
    m_unlisted_blobs += uploaded.pack.blobs.size();
    m_batch.push_back(uploaded.pack);
    m_unlisted.packs.push_back(std::move(uploaded.pack));
  }
  if (all || m_batch_blobs >= m_options.index_batch_blobs) {
    index_batch();
  }
  const bool due = m_unlisted_blobs >= m_options.index_max_blobs ||
                   std::chrono::steady_clock::now() - m_last_index_file >= m_options.index_interval;
  if ((all || due) && !m_unlisted.packs.empty()) {
    VOLBACK_TRY(write_index_file());
  }
  return {};
}

void BlobSaver::index_batch() {
  for (const auto& pack : m_batch) {
    m_index.add_pack(pack);
    for (const auto& blob : pack.blobs) {
      (blob.type == BlobType::data ? m_pending_data : m_pending_tree).erase(blob.id);
    }
  }
  m_batch.clear();
  m_batch_blobs = 0;
}

util::Result<void> BlobSaver::write_index_file() {
  VOLBACK_TRY(m_repository.save_unpacked(FileType::index, serialize_index(m_unlisted)));
  m_unlisted.packs.clear();
  m_unlisted_blobs = 0;
  m_last_index_file = std::chrono::steady_clock::now();
  return {};
}

util::Result<void> BlobSaver::flush() {
  VOLBACK_TRY(m_pipeline.drain());
  return absorb(true);
}

}  // namespace volback::restic
