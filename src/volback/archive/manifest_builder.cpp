#include <volback/archive/manifest_builder.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <vector>

#include <archive_entry.h>
#include <fmt/format.h>
#include <zlib.h>

#include <volback/archive/entry_ptr.hpp>

namespace volback::archive {
namespace {

std::string_view type_name(const EntryInfo& info) {
  switch (info.type) {
  case EntryType::regular: return "file";
  case EntryType::directory: return "dir";
  case EntryType::symlink: return "symlink";
  case EntryType::hardlink: return "hardlink";
  case EntryType::other: return type_name_from_mode(info.mode);
  }
  return "other";
}

}  // namespace

ManifestBuilder::ManifestBuilder(ManifestBuilderOptions options)
  : m_options(std::move(options)), m_rows(m_options.spill_dir, m_options.spill_threshold, "the manifest spill file") {}

ManifestBuilder::~ManifestBuilder() = default;

void ManifestBuilder::begin_entry(const EntryInfo& info) {
  if (m_writing_manifest) {
    return;
  }
  ManifestEntry entry;
  entry.path = info.path;
  while (entry.path.size() > 1 && entry.path.back() == '/') {
    entry.path.pop_back();
  }
  entry.type = std::string(type_name(info));
  entry.size = info.type == EntryType::regular ? info.size : 0;
  entry.mode = info.mode & 07777;
  entry.uid = info.uid;
  entry.gid = info.gid;
  const auto since_epoch = info.mtime.time_since_epoch();
  auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  entry.mtime = seconds.count();
  entry.mtime_nsec =
    static_cast<std::int32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds).count());
  if (info.type == EntryType::symlink || info.type == EntryType::hardlink) {
    entry.link = info.link_target;
  }
  m_hashing = false;
  if (info.type == EntryType::regular && !m_error) {
    if (auto started = m_sha.reset(); !started) {
      m_error = started.error();
    } else {
      m_hashing = true;
    }
  }
  m_current = std::move(entry);
}

void ManifestBuilder::entry_data(std::span<const std::byte> data) {
  if (!m_hashing) {
    return;
  }
  if (auto updated = m_sha.update(data); !updated) {
    m_error = updated.error();
    m_hashing = false;
  }
}

void ManifestBuilder::end_entry() {
  if (m_writing_manifest || !m_current) {
    return;
  }
  ManifestEntry& entry = *m_current;
  if (m_hashing) {
    if (auto digest = m_sha.final_hex(); !digest) {
      m_error = digest.error();
    } else {
      entry.sha256 = std::move(*digest);
    }
    m_hashing = false;
  }
  if (auto volume = volume_of(entry.path, m_options.sources)) {
    auto& totals = m_volumes[*volume];
    ++totals.entries;
    if (entry.type == "file") {
      ++totals.files;
      totals.bytes += entry.size;
    }
  }
  std::string row = m_entry_count > 0 ? ",\n" : "";
  row += encode_entry_row(entry);
  ++m_entry_count;
  m_current.reset();
  if (!m_error) {
    if (auto appended = m_rows.append(row); !appended) {
      m_error = appended.error();
    }
  }
}

util::Result<void> ManifestBuilder::write_manifest(TarWriter& tar, ManifestInfo info, util::TimePoint mtime) {
  if (m_error) {
    return util::fail(m_error->with_context("manifest"));
  }
  info.volumes = m_volumes;
  info.entry_count = m_entry_count;
  info.sources = m_options.sources;
  const std::string head = encode_manifest_head(info);
  const std::string_view tail = manifest_tail();
  const std::uint64_t size = head.size() + m_rows.size() + tail.size();

  EntryPtr entry(archive_entry_new());
  if (!entry) {
    return util::fail(util::ErrorKind::permanent, "cannot allocate a tar entry");
  }
  const std::string name(k_manifest_name);
  archive_entry_copy_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  const auto seconds = std::chrono::floor<std::chrono::seconds>(mtime.time_since_epoch());
  archive_entry_set_mtime(entry.get(), static_cast<time_t>(seconds.count()), 0);

  m_writing_manifest = true;
  VOLBACK_TRY(tar.begin_entry(entry.get()));
  VOLBACK_TRY(tar.write_data(std::as_bytes(std::span(head))));
  VOLBACK_TRY(m_rows.read([&tar](std::string_view chunk) { return tar.write_data(std::as_bytes(std::span(chunk))); }));
  VOLBACK_TRY(tar.write_data(std::as_bytes(std::span(tail.data(), tail.size()))));
  return tar.end_entry();
}

}  // namespace volback::archive
