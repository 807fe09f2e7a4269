#pragma once
// The Drive API's and the token endpoint's JSON replies, parsed defensively (internal to
// storage/gdrive): a reply is untrusted input, so every field is type-checked, sizes
// are bounded and anything unexpected is a corrupt error that quotes none of the reply.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::gdrive {

// Limits on what a reply may hold (Drive's own are far lower: pageSize ≤ 1000, names
// of at most 32 KiB, page tokens of a few hundred bytes).
inline constexpr std::size_t k_max_reply_bytes = std::size_t{16} << 20;
inline constexpr std::size_t k_max_page_files = 10'000;
inline constexpr std::size_t k_max_field_bytes = 64 * 1024;

// A file as files.list, files.get and a finished upload describe it (fields
// id,name,size,createdTime,modifiedTime).
struct DriveFile {
  std::string id;
  std::string name;
  std::uint64_t size = 0;  // Drive sends it as a decimal string (int64 format)
  util::TimePoint created;
  util::TimePoint modified;
};

struct FilePage {
  std::vector<DriveFile> files;
  std::string next_page_token;  // empty on the last page
};

struct AccessToken {
  std::string value;               // a secret
  std::int64_t expires_in = 3600;  // seconds
};

// Errors (corrupt): not JSON, not an object, a missing or mistyped field, an id or name
// that is empty or too long, a size that is not a decimal number, a time that is not
// RFC 3339, more than k_max_page_files entries.
util::Result<DriveFile> parse_drive_file(std::string_view text);
util::Result<FilePage> parse_file_page(std::string_view text);
// {"access_token": "...", "token_type": "Bearer", "expires_in": 3599}; token_type, when
// present, must be Bearer (case-insensitive); expires_in defaults to 3600.
util::Result<AccessToken> parse_access_token(std::string_view text);

// The "reason" and "message" of Drive's error shape
// {"error": {"code": 403, "message": "...", "errors": [{"reason": "rateLimitExceeded", ...}]}},
// or the token endpoint's {"error": "invalid_grant", "error_description": "..."}; empty
// strings for anything else. The message is cut to one short line of printable text.
struct ErrorDetail {
  std::string reason;
  std::string message;
};
ErrorDetail parse_error_detail(std::string_view text);

}  // namespace volback::storage::gdrive
