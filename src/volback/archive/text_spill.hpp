#pragma once
// TextSpill: an append-only text of unbounded length in bounded memory. Text waits in a
// buffer of at most `threshold` bytes; past it the buffer is appended to an anonymous,
// gzip-compressed (level 1) temporary file in `dir` and cleared, so a text of any length
// costs `threshold` bytes of memory plus zlib's state. The file has no name (O_TMPFILE,
// or unlinked at once), so nothing is left behind on any exit.
//
// read() hands the whole text back, in order and in chunks, as often as needed; appending
// after the first read() is not allowed. The manifest writer keeps its rows in one, and the
// archive check keeps what it observed and the manifest it read in two.
//
// One thread at a time.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <volback/fs/unique_fd.hpp>
#include <volback/util/result.hpp>

namespace volback::archive {

class TextSpill {
 public:
  using ChunkHandler = std::function<util::Result<void>(std::string_view chunk)>;

  // `what` names the spill in error messages ("the manifest spill file").
  explicit TextSpill(std::string dir, std::size_t threshold = std::size_t{4} << 20,
                     std::string what = "the spill file");
  ~TextSpill();
  TextSpill(const TextSpill&) = delete;
  TextSpill& operator=(const TextSpill&) = delete;

  // Appends `text`. Errors: the temporary file cannot be created or written (the errno
  // kind, or permanent); invalid_argument after read().
  util::Result<void> append(std::string_view text);

  // Calls `visit` with the text from its start, in chunks of at most a few hundred KiB.
  // Errors: the file cannot be read back or came back short (permanent); the visitor's
  // errors, unchanged.
  util::Result<void> read(const ChunkHandler& visit);

  // Reads the text back chunk by chunk, on the caller's demand (read() pushes, a cursor
  // is pulled: two spills can be walked side by side). REQUIRES: the spill outlives it.
  class Cursor {
   public:
    Cursor(Cursor&&) noexcept;
    Cursor& operator=(Cursor&&) = delete;
    Cursor(const Cursor&) = delete;
    ~Cursor();
    // The next chunk, empty at the end; valid until the next call. Errors: as read().
    util::Result<std::string_view> next();

   private:
    friend class TextSpill;
    explicit Cursor(const TextSpill& spill) : m_spill(&spill) {}
    const TextSpill* m_spill;
    void* m_in = nullptr;  // gzFile over a duplicate of the spill's fd
    std::uint64_t m_copied = 0;
    bool m_buffer_done = false;
    std::string m_chunk;
  };

  // A cursor from the start of the text. Errors: as read().
  util::Result<Cursor> cursor();

  // Bytes appended in all.
  std::uint64_t size() const { return m_spilled + m_buffer.size(); }
  // Bytes moved to the file so far.
  std::uint64_t spilled() const { return m_spilled; }

 private:
  util::Result<void> spill();
  util::Result<void> seal();

  std::string m_dir;
  std::size_t m_threshold;
  std::string m_what;
  std::string m_buffer;
  std::uint64_t m_spilled = 0;
  fs::UniqueFd m_fd;
  void* m_writer = nullptr;  // gzFile appending to a duplicate of m_fd
  bool m_sealed = false;
};

}  // namespace volback::archive
