#include <volback/archive/checked_tar_reader.hpp>

#include <algorithm>

#include <fmt/format.h>

namespace volback::archive {
namespace {

// Holes are hashed in steps of this size, with a cancellation check between them.
constexpr std::uint64_t k_hole_step = std::uint64_t{256} << 20;

ManifestEntry observed_row(const TarEntry& entry, const AdmittedEntry& names) {
  return ManifestEntry{.path = names.path,
                       .type = entry.type,
                       .size = entry.size,
                       .mode = entry.mode,
                       .uid = entry.uid,
                       .gid = entry.gid,
                       .mtime = entry.mtime,
                       .mtime_nsec = entry.mtime_nsec,
                       .link = entry.link,
                       .sha256 = {}};
}

}  // namespace

CheckedTarReader::CheckedTarReader(io::Source& tar_stream, CheckedReadOptions options, const util::CancelToken& cancel)
  : m_tar(tar_stream),
    m_stream(tar_stream),
    m_options(std::move(options)),
    m_cancel(cancel),
    m_manifest(m_names, m_options.spill_dir) {}

bool CheckedTarReader::marked() const {
  return m_tar.global_records().contains(std::string(k_manifest_key));
}

util::Error CheckedTarReader::located(const util::Error& error) const {
  if (error.kind() != util::ErrorKind::corrupt) {
    return error;
  }
  const std::string where = m_current && m_hashing ? fmt::format("in entry {}", m_current->path)
                            : m_last_entry.empty() ? std::string("at the start of the archive")
                                                   : fmt::format("after entry {}", m_last_entry);
  if (m_tar.source_failed()) {
    return util::Error(util::ErrorKind::corrupt,
                       fmt::format("corrupt {} stream {}: {}", m_options.stream_name, where, error.message()));
  }
  return util::Error(util::ErrorKind::corrupt, fmt::format("damaged tar stream {}: {}", where, error.message()));
}

util::Result<void> CheckedTarReader::hash_zeros(std::uint64_t count) {
  while (m_options.compare_manifest && count > 0) {
    VOLBACK_TRY(m_cancel.check());
    const auto step = std::min(count, k_hole_step);
    VOLBACK_TRY(m_sha.update_zeros(step));
    count -= step;
  }
  return {};
}

util::Result<std::optional<DataBlock>> CheckedTarReader::read_block() {
  if (!m_hashing) {
    return std::nullopt;
  }
  VOLBACK_TRY(m_cancel.check());
  auto block = m_tar.read_block();
  if (!block) {
    return util::fail(located(block.error()));
  }
  ManifestEntry& entry = *m_current;
  if (!*block) {
    VOLBACK_TRY(hash_zeros(entry.size - m_at));
    if (m_options.compare_manifest) {
      VOLBACK_TRY_ASSIGN(entry.sha256, m_sha.final_hex());
    }
    m_hashing = false;
    ++m_report.files_hashed;
    m_report.bytes_hashed += entry.size;
    return std::nullopt;
  }
  const auto& [offset, data] = **block;
  if (offset < m_at || data.size() > entry.size || offset > entry.size - data.size()) {
    return util::fail(located(
      util::Error(util::ErrorKind::corrupt, "its data lies out of order or beyond its size (a damaged sparse map)")));
  }
  VOLBACK_TRY(hash_zeros(offset - m_at));
  if (m_options.compare_manifest) {
    VOLBACK_TRY(m_sha.update(data));
  }
  m_at = offset + data.size();
  return block;
}

util::Result<void> CheckedTarReader::finish_entry() {
  while (m_hashing) {
    VOLBACK_TRY(read_block());
  }
  if (m_current) {
    VOLBACK_TRY(m_manifest.observe(*m_current));
    m_last_entry = m_current->path;
    m_current.reset();
  }
  return {};
}

util::Result<void> CheckedTarReader::read_manifest_entry() {
  m_manifest_seen = true;
  m_report.has_manifest = true;
  for (;;) {
    VOLBACK_TRY(m_cancel.check());
    auto block = m_tar.read_block();
    if (!block) {
      return util::fail(located(block.error()));
    }
    if (!*block) {
      break;
    }
    if (m_manifest_too_large) {
      continue;  // read through, so that the stream after it is still checked
    }
    const auto& data = (*block)->data;
    if (auto added =
          m_manifest.add_manifest_bytes(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
        !added) {
      if (added.error().kind() != util::ErrorKind::corrupt) {
        return util::fail(added.error());
      }
      m_manifest_too_large = true;
      m_report.problems.add(added.error().message());
    }
  }
  m_last_entry = std::string(k_manifest_name);
  return {};
}

std::optional<std::string> CheckedTarReader::hole_refusal(const TarEntry& entry) {
  const std::uint64_t holes = entry.size - std::min(entry.size, entry.stored);
  if (holes == 0) {
    return std::nullopt;
  }
  const std::uint64_t budget = m_options.hole_allowance + k_hole_ratio * m_tar.bytes_read();
  if (holes > budget || m_holes > budget - holes) {
    return fmt::format(
      "unsafe entry {:?}: a sparse file of {} bytes with {} bytes of data: its holes exceed what "
      "an archive of this size can hold ({} bytes of holes at most so far)",
      entry.path, entry.size, entry.stored, budget);
  }
  m_holes += holes;
  return std::nullopt;
}

util::Result<std::optional<CheckedEntry>> CheckedTarReader::next() {
  VOLBACK_TRY(finish_entry());
  for (;;) {
    VOLBACK_TRY(m_cancel.check());
    auto next = m_tar.next();
    if (!next) {
      return util::fail(located(next.error()));
    }
    m_started = true;
    if (!*next) {
      return std::nullopt;
    }
    CheckedEntry checked{.entry = std::move(**next), .names = {}, .refusal = std::nullopt};
    const TarEntry& entry = checked.entry;
    if (entry.path == k_manifest_name && entry.type == "file" && !m_manifest_seen) {
      VOLBACK_TRY(read_manifest_entry());
      continue;
    }
    ++m_report.entries;
    if (m_manifest_seen) {
      checked.refusal = fmt::format("unsafe entry {:?}: it follows {}, which must be the archive's last entry",
                                    entry.path, k_manifest_name);
    } else if (auto admitted = m_names.admit(entry); !admitted) {
      checked.refusal = admitted.error().message();
    } else {
      checked.names = std::move(*admitted);
      if (entry.type == "file") {
        checked.refusal = hole_refusal(entry);
      }
    }
    if (checked.refusal) {
      m_report.problems.add(*checked.refusal);
      m_last_entry = entry.path;
      return checked;
    }
    m_current = observed_row(entry, checked.names);
    if (entry.type == "file") {
      if (m_options.compare_manifest) {
        VOLBACK_TRY(m_sha.reset());
      }
      m_hashing = true;
      m_at = 0;
    }
    return checked;
  }
}

util::Result<void> CheckedTarReader::drain() {
  std::vector<std::byte> buffer(std::size_t{1} << 16);
  bool garbage = false;
  for (;;) {
    VOLBACK_TRY(m_cancel.check());
    auto got = m_stream.read(buffer);
    if (!got) {
      if (got.error().kind() != util::ErrorKind::corrupt) {
        return util::fail(got.error());
      }
      return util::fail(util::ErrorKind::corrupt, fmt::format("corrupt {} stream after the end of the tar archive: {}",
                                                              m_options.stream_name, got.error().message()));
    }
    if (*got == 0) {
      break;
    }
    garbage = garbage || std::any_of(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*got),
                                     [](std::byte b) { return b != std::byte{0}; });
  }
  if (garbage) {
    m_report.problems.add("there is data after the end of the tar archive");
  }
  return {};
}

util::Result<CheckReport> CheckedTarReader::finish() {
  VOLBACK_TRY(finish_entry());
  VOLBACK_TRY(drain());
  m_report.marked = marked();
  if (const auto it = m_tar.global_records().find(std::string(k_version_key)); it != m_tar.global_records().end()) {
    m_report.volback_version = it->second;
  }
  if (m_report.marked && !m_report.has_manifest) {
    m_report.problems.add(
      fmt::format("the archive is marked as volback's ({}={}) but has no {}: it was cut off or "
                  "altered",
                  k_manifest_key, m_tar.global_records().at(std::string(k_manifest_key)), k_manifest_name));
  }
  if (m_report.has_manifest && !m_manifest_too_large && m_options.compare_manifest) {
    VOLBACK_TRY(m_manifest.compare(m_report.problems));
  }
  return std::move(m_report);
}

}  // namespace volback::archive
