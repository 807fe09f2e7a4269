#pragma once
// The JSON of the Dropbox API v2 (internal to storage/dropbox): the arguments volback
// sends and the replies it reads. Pure.
//
// Replies come from the network and are not trusted: every parser checks the types it
// reads, bounds sizes and counts, and answers a clear `permanent` error ("Dropbox
// <what>: <why>") for anything else; it never throws. Unknown fields are ignored, as
// Dropbox may add some.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::dropbox {

// A reply larger than this is refused before it is parsed.
inline constexpr std::size_t k_max_reply_bytes = std::size_t{8} << 20;
// A list_folder page with more entries than this is refused (Dropbox sends up to 2,000).
inline constexpr std::size_t k_max_page_entries = 10'000;

// The answer of oauth2/token: {"access_token": "...", "expires_in": 14400, ...}.
struct TokenReply {
  std::string access_token;
  std::optional<std::int64_t> expires_in;  // seconds; nullopt: the reply did not say
};
util::Result<TokenReply> parse_token_reply(std::string_view body);

// A Dropbox error reply: {"error_summary": "path/not_found/..", "error": {".tag": ...}}
// (409 and 401), or the OAuth2 form {"error": "invalid_grant", "error_description": ...}
// of the token endpoint. Any body parses: what is not such JSON yields the text itself
// (first line, at most 200 bytes) as the summary.
struct ErrorReply {
  std::string summary;                          // "path/not_found/.." or the OAuth2 error code; may be empty
  std::string tag;                              // the outermost ".tag": "path", "expired_access_token", ...
  std::optional<std::uint64_t> correct_offset;  // of an incorrect_offset lookup error
  std::optional<std::int64_t> retry_after;      // seconds, of a too_many_requests answer
};
ErrorReply parse_error_reply(std::string_view body);

// One entry of a listing or the answer of get_metadata.
struct Metadata {
  enum class Kind { file, folder, deleted };
  Kind kind = Kind::file;
  std::string name;
  std::string path_display;
  std::uint64_t size = 0;           // files only
  util::TimePoint server_modified;  // files only
};
util::Result<Metadata> parse_metadata(std::string_view body);

// A page of files/list_folder or list_folder/continue.
struct FolderPage {
  std::vector<Metadata> entries;
  std::string cursor;
  bool has_more = false;
};
util::Result<FolderPage> parse_folder_page(std::string_view body);

// The answer of upload_session/start: {"session_id": "..."}.
util::Result<std::string> parse_session_id(std::string_view body);

// The JSON text of an argument, ASCII only (non-ASCII characters escaped as \uXXXX), as
// the Dropbox-API-Arg header needs it.
std::string path_arg(std::string_view path);
std::string create_folder_arg(std::string_view path);
std::string list_folder_arg(std::string_view path, bool recursive);
std::string cursor_arg(std::string_view cursor);
std::string session_start_arg(bool concurrent);
std::string append_arg(std::string_view session_id, std::uint64_t offset, bool close);
std::string finish_arg(std::string_view session_id, std::uint64_t offset, std::string_view path);
std::string upload_arg(std::string_view path);

}  // namespace volback::storage::dropbox
