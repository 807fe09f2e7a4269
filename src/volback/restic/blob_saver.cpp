#include <volback/restic/blob_saver.hpp>

namespace volback::restic {

util::Result<void> BlobSaver::save(BlobType type, const Id& id, std::span<const unsigned char> plaintext) {
  auto& pending = type == BlobType::data ? m_pending_data : m_pending_tree;
  if (m_index.contains(type, id) || pending.contains(id)) {
    ++m_stats.blobs_known;
    return {};
  }
  auto& builder = type == BlobType::data ? m_data : m_tree;
  VOLBACK_TRY(builder.add(m_repository.key(), type, id, plaintext));
  pending.insert(id);
  ++m_stats.blobs_new;
  m_stats.data_blobs_new += type == BlobType::data ? 1 : 0;
  m_stats.bytes_new += plaintext.size();
  if (builder.full()) {
    VOLBACK_TRY(upload(builder, pending));
  }
  return {};
}

util::Result<void> BlobSaver::upload(PackBuilder& builder, std::set<Id>& pending) {
  VOLBACK_TRY_ASSIGN(auto pack, builder.finish(m_repository.key()));
  VOLBACK_TRY(m_repository.save_pack(pack));
  m_stats.bytes_stored += pack.bytes.size();
  ++m_stats.packs;
  IndexedPack indexed{.id = pack.id, .blobs = std::move(pack.blobs)};
  m_index.add_pack(indexed);
  m_uploaded.packs.push_back(std::move(indexed));
  pending.clear();
  return {};
}

util::Result<void> BlobSaver::flush() {
  if (!m_data.empty()) {
    VOLBACK_TRY(upload(m_data, m_pending_data));
  }
  if (!m_tree.empty()) {
    VOLBACK_TRY(upload(m_tree, m_pending_tree));
  }
  if (m_uploaded.packs.empty()) {
    return {};
  }
  VOLBACK_TRY(m_repository.save_unpacked(FileType::index, serialize_index(m_uploaded)));
  m_uploaded.packs.clear();
  return {};
}

}  // namespace volback::restic
