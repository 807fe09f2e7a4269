#pragma once
// files.list and files.delete in the backend's folder (internal to storage/gdrive).
//
// Listing asks Drive for the files (not folders, not trashed) whose parent is
// GOOGLE_DRIVE_FOLDER_ID, and whose name contains the prefix (Drive's "contains" matches
// name prefixes, as offen queries) or equals a name; the prefix is then checked exactly
// here. With a shared drive (GOOGLE_DRIVE_TEAM_DRIVE_ID) the listing searches that drive
// (corpora=drive, driveId, includeItemsFromAllDrives); every request says
// supportsAllDrives=true. Pages of up to 1000 files are followed by nextPageToken; a
// token that repeats, or more than k_max_list_pages pages, is a corrupt reply.

#include <functional>
#include <string>
#include <string_view>

#include <volback/storage/gdrive/gdrive_client.hpp>
#include <volback/storage/gdrive/gdrive_json.hpp>

namespace volback::storage::gdrive {

inline constexpr unsigned k_max_list_pages = 100'000;
inline constexpr std::string_view k_file_fields = "id,name,size,createdTime,modifiedTime";

enum class NameMatch { prefix, exact };

// `text` as a string literal of Drive's query language: in single quotes, with '\' and
// '\'' escaped by a backslash. Pure.
std::string query_literal(std::string_view text);

// The q parameter for files in the folder whose name matches `name` as `match` says (an
// empty prefix: every file). Pure.
std::string list_query(std::string_view folder_id, std::string_view name, NameMatch match);

// supportsAllDrives=true, and for a shared drive (listing) its corpus parameters.
QueryParams drive_params(const GdriveSettings& settings, bool listing);

// Calls `visit` for every file of the folder whose name matches, page by page, in
// Drive's order; stops at the first error `visit` returns.
util::Result<void> list_files(GdriveClient& client, http::Transport& transport, std::string_view name, NameMatch match,
                              const std::function<util::Result<void>(const DriveFile&)>& visit);

// The newest file (latest createdTime, then modifiedTime, then the greater id) named
// exactly `name`, or nullopt.
util::Result<std::optional<DriveFile>> newest_named(GdriveClient& client, http::Transport& transport,
                                                    std::string_view name);

// Whether `a` replaces `b` when both have one name: a is newer. Pure.
bool is_newer(const DriveFile& a, const DriveFile& b);

// Deletes the file `id` (not to the trash); a file already gone is not an error.
util::Result<void> delete_file(GdriveClient& client, http::Transport& transport, const DriveFile& file);

}  // namespace volback::storage::gdrive
