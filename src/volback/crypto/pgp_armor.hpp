#pragma once
// OpenPGP's ASCII armor (RFC 4880 §6): "-----BEGIN PGP <LABEL>-----", header lines, an
// empty line, base64 in lines, an optional "=XXXX" CRC-24 line, the END line. Read
// leniently, as GnuPG reads it (CRLF, white space at line ends, missing blank line), but
// the CRC-24 must match when present. offen's GPG_PUBLIC_KEY_RING output is armored;
// volback writes binary OpenPGP and reads both.

#include <cstdint>
#include <string>
#include <string_view>

#include <volback/io/source.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

inline constexpr std::string_view k_pgp_armor_begin = "-----BEGIN PGP ";

// The line-by-line decoder of one armored block. One thread at a time.
class PgpArmorDecoder {
 public:
  // Processes one line (its line end removed), appending decoded bytes to `out`. Returns
  // true once the END line was read. Errors: corrupt, saying what is wrong.
  util::Result<bool> line(std::string_view text, std::string& out);
  // The label of the BEGIN line ("MESSAGE", "PUBLIC KEY BLOCK", ...); empty before it.
  const std::string& label() const { return m_label; }
  bool started() const { return !m_label.empty(); }

 private:
  enum class State { before, headers, body, crc, done };
  util::Result<void> flush(std::string& out, bool final);
  State m_state = State::before;
  std::string m_label;
  std::string m_pending;  // base64 characters not yet decoded (fewer than 4, or the tail)
  std::uint32_t m_crc = 0xB704CE;
};

// Decodes every armored block in `text`, concatenated. Errors: invalid_argument when
// there is none or one is malformed (the message names the block, never its content).
util::Result<std::string> dearmor_all(std::string_view text);

// Streams the first armored block read from `in` (not owned; it must outlive this). Only
// white space may follow its END line. Memory: one line and its decoded bytes.
class PgpArmorSource final : public io::Source {
 public:
  explicit PgpArmorSource(io::Source& in) : m_in(in) {}
  // Errors: those of `in`; corrupt for malformed armor or a CRC that does not match.
  util::Result<std::size_t> read(std::span<std::byte> buf) override;

 private:
  util::Result<bool> next_line(std::string& line);
  io::Source& m_in;
  PgpArmorDecoder m_decoder;
  std::string m_in_buffer;
  std::size_t m_in_at = 0;
  bool m_eof = false;
  bool m_done = false;
  std::string m_out;
  std::size_t m_out_at = 0;
};

}  // namespace volback::crypto
