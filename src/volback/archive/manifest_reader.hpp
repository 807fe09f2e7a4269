#pragma once
// ManifestReader: parses a manifest (docs/manifest-format.md) as its bytes arrive, in the
// layout volback writes it (manifest.hpp):
//   line 1      the head object, compact, ending in `"entries":[`
//   lines 2..   one entry row a line, each but the last followed by ","
//               (an empty line instead when there are no rows)
//   last        "]}", then the final newline, then nothing.
// Any other layout, a row that is not a valid row, a row count that differs from the
// head's entry_count or bytes after the end are corrupt. A format newer than this build
// reads is invalid_argument.
//
// Memory: one line at a time, at most k_max_manifest_line bytes (a longer line is
// corrupt), plus the head. Rows go to a callback as they are parsed; nothing keeps them.
// One thread at a time.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include <volback/archive/manifest.hpp>
#include <volback/util/line_splitter.hpp>
#include <volback/util/result.hpp>

namespace volback::archive {

// The longest line a manifest may have: a row holds two names, each at most 6 bytes per
// name byte once JSON-escaped, and names longer than 64 KiB do not occur in volumes. The
// head holds the volume names and the stopped containers.
inline constexpr std::size_t k_max_manifest_line = std::size_t{1} << 20;

// Parses one entry row (a single-line JSON object as encode_entry_row writes it).
// Errors: corrupt.
util::Result<ManifestEntry> parse_entry_row(std::string_view row);

class ManifestReader {
 public:
  using RowHandler = std::function<util::Result<void>(ManifestEntry&& row)>;

  explicit ManifestReader(RowHandler on_row);

  // Feeds the next bytes of the document. Errors: corrupt, invalid_argument (above); the
  // handler's errors, unchanged. After an error the reader must not be fed again.
  util::Result<void> feed(std::string_view bytes);

  // The end of the document. Errors: corrupt when it ended early or its rows do not add
  // up to the head's entry_count.
  util::Result<void> finish();

  // The head's fields (volumes, sources, ...), valid once the first line was read.
  const ManifestInfo& info() const { return m_info; }
  std::uint64_t rows() const { return m_rows; }

 private:
  enum class State { head, first_row, rows, last_row_seen, tail_seen, empty_rows };
  util::Result<void> on_line(std::string_view line);
  util::Result<void> on_head(std::string_view line);
  util::Result<void> on_row(std::string_view line);

  RowHandler m_on_row;
  util::LineSplitter m_lines;
  State m_state = State::head;
  ManifestInfo m_info;
  std::uint64_t m_rows = 0;
};

}  // namespace volback::archive
