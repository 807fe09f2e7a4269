#include <volback/archive/manifest_check.hpp>

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include <volback/archive/manifest_reader.hpp>
#include <volback/archive/name_digest.hpp>
#include <volback/util/line_splitter.hpp>

namespace volback::archive {
namespace {

// The differences between what the manifest promises and what the archive holds.
void compare_entry(const ManifestEntry& want, const ManifestEntry& got, CheckProblems& problems) {
  const auto& path = got.path;
  if (want.type != got.type) {
    problems.add(fmt::format("{}: type is {}, the manifest says {}", path, got.type, want.type));
    return;
  }
  if (want.size != got.size) {
    problems.add(fmt::format("{}: size is {}, the manifest says {}", path, got.size, want.size));
  } else if (want.sha256 != got.sha256) {
    problems.add(
      fmt::format("{}: content differs from the manifest (SHA-256 {} instead of {})", path, got.sha256, want.sha256));
  }
  if (want.mode != got.mode) {
    problems.add(fmt::format("{}: mode is {:04o}, the manifest says {:04o}", path, got.mode, want.mode));
  }
  if (want.uid != got.uid || want.gid != got.gid) {
    problems.add(
      fmt::format("{}: owner is {}:{}, the manifest says {}:{}", path, got.uid, got.gid, want.uid, want.gid));
  }
  if (want.mtime != got.mtime || want.mtime_nsec != got.mtime_nsec) {
    problems.add(fmt::format("{}: mtime differs from the manifest", path));
  }
  if (want.link != got.link) {
    problems.add(fmt::format("{}: link target is {:?}, the manifest says {:?}", path, got.link, want.link));
  }
}

// The observed rows, pulled one at a time.
class ObservedRows {
 public:
  explicit ObservedRows(TextSpill::Cursor cursor) : m_cursor(std::move(cursor)) {}

  // The next row without taking it; nullopt at the end.
  util::Result<const ManifestEntry*> peek() {
    if (!m_row) {
      VOLBACK_TRY(fill());
    }
    return m_row ? &*m_row : nullptr;
  }
  void pop() { m_row.reset(); }

 private:
  util::Result<void> fill() {
    while (!m_done) {
      const auto end = m_pending.find('\n', m_offset);
      if (end != std::string::npos) {
        VOLBACK_TRY_ASSIGN(m_row, parse_entry_row(std::string_view(m_pending).substr(m_offset, end - m_offset)));
        m_offset = end + 1;
        return {};
      }
      m_pending.erase(0, m_offset);
      m_offset = 0;
      VOLBACK_TRY_ASSIGN(const auto chunk, m_cursor.next());
      if (chunk.empty()) {
        m_done = true;
      }
      m_pending.append(chunk);
    }
    return {};
  }

  TextSpill::Cursor m_cursor;
  std::string m_pending;
  std::size_t m_offset = 0;
  bool m_done = false;
  std::optional<ManifestEntry> m_row;
};

// Feeds a spill's text to a manifest reader and finishes it.
util::Result<void> read_manifest(TextSpill& spill, ManifestReader& reader) {
  VOLBACK_TRY(spill.read([&reader](std::string_view chunk) { return reader.feed(chunk); }));
  return reader.finish();
}

std::string volume_problem(const std::string& volume, std::string_view what, std::uint64_t want, std::uint64_t got) {
  return fmt::format("volume {}: the manifest says {} {}, the archive holds {}", volume, want, what, got);
}

}  // namespace

void CheckProblems::add(std::string problem) {
  if (described.size() < k_max_described_problems) {
    described.push_back(std::move(problem));
  } else {
    ++more;
  }
}

ManifestCheck::ManifestCheck(const NameLedger& names, const std::string& spill_dir)
  : m_names(names),
    m_observed(spill_dir, std::size_t{4} << 20, "the observed-entries spill file"),
    m_manifest(spill_dir, std::size_t{4} << 20, "the manifest spill file") {}

util::Result<void> ManifestCheck::observe(const ManifestEntry& got) {
  std::string row = encode_entry_row(got);
  row += '\n';
  VOLBACK_TRY(m_observed.append(row));
  ++m_observed_count;
  m_manifest_allowance += k_manifest_allowance_row + 6 * (got.path.size() + got.link.size());
  if (auto volume = volume_of(got.path, m_names.sources())) {
    auto& totals = m_volumes[*volume];
    ++totals.entries;
    if (got.type == "file") {
      ++totals.files;
      totals.bytes += got.size;
    }
  }
  return {};
}

util::Result<void> ManifestCheck::add_manifest_bytes(std::string_view bytes) {
  if (m_manifest.size() + bytes.size() > m_manifest_allowance) {
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("{} is larger than the {} entries before it can need ({} bytes at most)",
                                  k_manifest_name, m_observed_count, m_manifest_allowance));
  }
  return m_manifest.append(bytes);
}

util::Result<void> ManifestCheck::compare(CheckProblems& problems) {
  const NameDigest digest;
  const auto unreadable = [&](const util::Error& error) -> util::Result<void> {
    if (error.kind() != util::ErrorKind::corrupt) {
      return util::fail(error);
    }
    problems.add(fmt::format("{}: {}", k_manifest_name, error.message()));
    return {};
  };

  // Pass 1: the names the manifest lists.
  std::vector<std::uint64_t> listed;
  ManifestReader lister([&](ManifestEntry&& row) -> util::Result<void> {
    listed.push_back(digest(row.path));
    return {};
  });
  if (auto read = read_manifest(m_manifest, lister); !read) {
    return unreadable(read.error());
  }
  std::sort(listed.begin(), listed.end());
  if (const auto twice = static_cast<std::uint64_t>(listed.end() - std::unique(listed.begin(), listed.end()))) {
    problems.add(fmt::format("{} lists {} names more than once", k_manifest_name, twice));
  }
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  const auto is_listed = [&](const std::string& path) {
    return std::binary_search(listed.begin(), listed.end(), digest(path));
  };

  const ManifestInfo& info = lister.info();
  if (info.sources != m_names.sources()) {
    problems.add(fmt::format("{} names the sources {:?}, the archive holds {:?}", k_manifest_name, info.sources,
                             m_names.sources()));
  }
  for (const auto& [volume, want] : info.volumes) {
    const auto it = m_volumes.find(volume);
    const VolumeTotals got = it == m_volumes.end() ? VolumeTotals{} : it->second;
    if (want.entries != got.entries) {
      problems.add(volume_problem(volume, "entries", want.entries, got.entries));
    } else if (want.files != got.files) {
      problems.add(volume_problem(volume, "files", want.files, got.files));
    } else if (want.bytes != got.bytes) {
      problems.add(volume_problem(volume, "bytes", want.bytes, got.bytes));
    }
  }
  for (const auto& [volume, got] : m_volumes) {
    if (!info.volumes.contains(volume)) {
      problems.add(fmt::format("volume {}: in the archive but not in the manifest's volumes", volume));
    }
  }

  // Pass 2: both in archive order, side by side.
  VOLBACK_TRY_ASSIGN(auto cursor, m_observed.cursor());
  ObservedRows observed(std::move(cursor));
  bool in_order = true;
  const auto out_of_order = [&](const std::string& path) {
    problems.add(fmt::format("{}: the archive's entries are not in the manifest's order from here on", path));
    in_order = false;
  };
  ManifestReader rows([&](ManifestEntry&& want) -> util::Result<void> {
    while (in_order) {
      VOLBACK_TRY_ASSIGN(const ManifestEntry* got, observed.peek());
      if (got != nullptr && got->path == want.path) {
        compare_entry(want, *got, problems);
        observed.pop();
        return {};
      }
      if (got != nullptr && !is_listed(got->path)) {
        problems.add(fmt::format("{}: in the archive but not in the manifest", got->path));
        observed.pop();
        continue;
      }
      if (!m_names.has_entry(want.path)) {
        problems.add(fmt::format("{}: missing from the archive", want.path));
        return {};
      }
      out_of_order(got != nullptr ? got->path : want.path);
    }
    return {};
  });
  if (auto read = read_manifest(m_manifest, rows); !read) {
    return unreadable(read.error());
  }
  while (in_order) {
    VOLBACK_TRY_ASSIGN(const ManifestEntry* got, observed.peek());
    if (got == nullptr) {
      break;
    }
    if (is_listed(got->path)) {
      out_of_order(got->path);
    } else {
      problems.add(fmt::format("{}: in the archive but not in the manifest", got->path));
    }
    observed.pop();
  }
  return {};
}

}  // namespace volback::archive
