#pragma once
// ManifestCheck: compares what an archive holds with what its manifest says, in bounded
// memory, for verify and restore alike (checked_tar_reader.hpp drives it).
//
// While the archive streams, every admitted entry is observed (its metadata and content
// hash, as a manifest row) and the manifest's bytes are kept as they arrive; both wait in
// TextSpills (text_spill.hpp), not in memory. The manifest may not be longer than the
// entries observed can need (k_manifest_allowance_* below): a manifest that a few
// entries cannot explain is corrupt before it is parsed. compare() then walks the
// manifest twice, streaming: once to learn which names it lists (a sorted vector of
// 64-bit digests, 8 bytes per row), once beside the observed rows, both in archive order,
// comparing row by row: type, size, content hash, mode, numeric owner, mtime (ns) and
// link target of every entry, entries missing from the archive or from the manifest, the
// order, the sources root and the per-volume totals.
//
// One thread at a time.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <volback/archive/entry_names.hpp>
#include <volback/archive/manifest.hpp>
#include <volback/archive/text_spill.hpp>
#include <volback/util/result.hpp>

namespace volback::archive {

// What a manifest may take: the head, plus per observed entry a row with its two names
// JSON-escaped (at most 6 bytes per name byte).
inline constexpr std::uint64_t k_manifest_allowance_head = std::uint64_t{1} << 20;
inline constexpr std::uint64_t k_manifest_allowance_row = 512;
// At most this many problems are described; the rest are counted.
inline constexpr std::size_t k_max_described_problems = 100;

struct CheckProblems {
  std::vector<std::string> described;  // one line each, naming the entry
  std::uint64_t more = 0;              // problems beyond the described ones

  void add(std::string problem);
  bool empty() const { return described.empty() && more == 0; }
  std::uint64_t count() const { return described.size() + more; }
};

class ManifestCheck {
 public:
  // `names` is the ledger of the same read: it knows which names the archive holds. It
  // must outlive the check. Spills go to `spill_dir`.
  ManifestCheck(const NameLedger& names, const std::string& spill_dir);

  // Records one admitted entry as the archive holds it (`got.path` clean, `got.sha256`
  // set for regular files). Errors: the spill's.
  util::Result<void> observe(const ManifestEntry& got);

  // The next bytes of the manifest entry's content. Errors: corrupt when the manifest
  // grows past what the observed entries can need; the spill's errors.
  util::Result<void> add_manifest_bytes(std::string_view bytes);

  // Compares the whole manifest with the observed entries and adds every difference to
  // `problems`. An unreadable manifest is one problem. Errors: a spill that cannot be
  // read back (permanent), invalid_argument for a manifest format newer than this build.
  util::Result<void> compare(CheckProblems& problems);

  std::uint64_t manifest_bytes() const { return m_manifest.size(); }

 private:
  const NameLedger& m_names;
  TextSpill m_observed;
  TextSpill m_manifest;
  std::uint64_t m_observed_count = 0;
  std::uint64_t m_manifest_allowance = k_manifest_allowance_head;
  std::map<std::string, VolumeTotals> m_volumes;
};

}  // namespace volback::archive
