#pragma once
// age's ASCII armor (age-encryption.org/v1, §"ASCII armor"): strict PEM with the label
// "AGE ENCRYPTED FILE", padded base64 in lines of exactly 64 columns (the last one
// shorter or full), LF or CRLF line ends, no headers, white space allowed only before the
// BEGIN line and after the END line. A streaming decoder; volback writes binary age and
// reads both (age -a writes armor).
//
// Memory: one line (at most 66 bytes) and its decoded bytes. One thread at a time.

#include <string>
#include <string_view>

#include <volback/io/source.hpp>

namespace volback::crypto {

inline constexpr std::string_view k_age_armor_begin = "-----BEGIN AGE ENCRYPTED FILE-----";

// Decodes the armored age file read from `in` (not owned; it must outlive this).
class AgeArmorSource final : public io::Source {
 public:
  explicit AgeArmorSource(io::Source& in) : m_in(in) {}

  // The decoded bytes. Errors: those of `in`, unchanged; corrupt when the armor breaks a
  // rule above (naming the line).
  util::Result<std::size_t> read(std::span<std::byte> buf) override;

 private:
  enum class State { before, body, after, done };
  util::Result<bool> next_byte(char& c);
  util::Result<void> step();

  io::Source& m_in;
  State m_state = State::before;
  std::string m_in_buffer;
  std::size_t m_in_at = 0;
  bool m_in_eof = false;
  std::string m_out;
  std::size_t m_out_at = 0;
  std::uint64_t m_line = 0;
  bool m_had_short_line = false;
};

}  // namespace volback::crypto
