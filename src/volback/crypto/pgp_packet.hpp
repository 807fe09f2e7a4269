#pragma once
// OpenPGP's packet framing (RFC 4880 §4): tags, the old and new header formats, definite
// and partial body lengths, and MPIs. Readers that never read past the data they were
// given (a packet body is a Source of its own), and appenders for the packets volback
// writes. Nothing here knows what a packet means.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/crypto/byte_reader.hpp>
#include <volback/io/source.hpp>
#include <volback/util/result.hpp>

namespace volback::crypto {

// The packet tags volback reads or writes.
enum class PgpTag : std::uint8_t {
  pkesk = 1,  // Public-Key Encrypted Session Key
  signature = 2,
  skesk = 3,  // Symmetric-Key Encrypted Session Key
  one_pass_signature = 4,
  secret_key = 5,
  public_key = 6,
  secret_subkey = 7,
  compressed = 8,
  sed = 9,  // Symmetrically Encrypted Data, without integrity protection
  marker = 10,
  literal = 11,
  trust = 12,
  user_id = 13,
  public_subkey = 14,
  user_attribute = 17,
  seipd = 18,  // Symmetrically Encrypted Integrity Protected Data
  mdc = 19,
  aead = 20,  // GnuPG 2.3's OCB packets
};

// A Source with a read-ahead buffer and byte-wise reads, for parsing packet headers
// without reading past them. `in` is not owned. One thread at a time.
class ByteStream {
 public:
  explicit ByteStream(io::Source& in, std::size_t buffer = 64 * 1024) : m_in(in), m_buffer(buffer) {}

  // The next byte; nullopt at the end of the stream. Errors: the source's.
  util::Result<std::optional<std::uint8_t>> byte();
  // Up to out.size() bytes (fewer only at the end).
  util::Result<std::size_t> read(std::span<std::byte> out);
  // Exactly `n` bytes. Errors: the source's; corrupt when the stream ends first.
  util::Result<std::string> exact(std::size_t n, std::string_view what);
  // The number of bytes consumed so far.
  std::uint64_t offset() const { return m_offset; }

 private:
  util::Result<bool> fill();
  io::Source& m_in;
  std::vector<std::byte> m_buffer;
  std::size_t m_at = 0;
  std::size_t m_end = 0;
  std::uint64_t m_offset = 0;
};

struct PgpPacketHeader {
  PgpTag tag{};
  std::uint8_t raw_tag = 0;
  // The body's length, or of its first part when `partial`.
  std::uint64_t length = 0;
  bool partial = false;
  // Old format's "indeterminate length": the body runs to the end of the stream.
  bool indeterminate = false;
};

// The next packet header; nullopt at the clean end of the stream. Errors: corrupt for a
// byte that does not start a packet, or a truncated header.
util::Result<std::optional<PgpPacketHeader>> read_packet_header(ByteStream& in);

// The body of the packet whose header was just read, as a Source: partial lengths are
// followed, and it ends where the packet ends.
class PgpBodySource final : public io::Source {
 public:
  PgpBodySource(ByteStream& in, const PgpPacketHeader& header);

  // Errors: the stream's; corrupt when it ends inside the body.
  util::Result<std::size_t> read(std::span<std::byte> buf) override;

 private:
  ByteStream& m_in;
  std::uint64_t m_left;  // in the current part
  bool m_partial;
  bool m_indeterminate;
};

// Reads a whole packet body of at most `limit` bytes (ESK, key and signature packets).
util::Result<std::string> read_body(ByteStream& in, const PgpPacketHeader& header, std::size_t limit);

// An in-memory cursor over a packet body; fails (nullopt) instead of reading past it.
class PgpReader : public ByteReader {
 public:
  using ByteReader::ByteReader;
  // An MPI's magnitude, big-endian, as stored (its bit count checked against its bytes).
  std::optional<std::string_view> mpi();
};

// Appends a new-format packet header with a definite length.
void put_packet_header(std::string& out, PgpTag tag, std::uint64_t length);
// A new-format length (1, 2 or 5 bytes), and the byte of a partial length 2^exponent.
void put_length(std::string& out, std::uint64_t length);
inline constexpr std::uint8_t partial_length_byte(unsigned exponent) {
  return static_cast<std::uint8_t>(0xE0 + exponent);
}
// Appends an MPI of the unsigned big-endian `value` (leading zeros dropped).
void put_mpi(std::string& out, std::string_view value);
void put_u16(std::string& out, std::uint16_t value);
void put_u32(std::string& out, std::uint32_t value);

}  // namespace volback::crypto
