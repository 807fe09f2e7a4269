#pragma once
// storage/gdrive: the "GoogleDrive" backend, files in one folder of Google Drive (My
// Drive or a shared drive), reached with a service account (Drive API v3).
//
// Objects are files named by their key (a key with '/' is one file of that name: Drive
// names may hold '/'), whose parent is GOOGLE_DRIVE_FOLDER_ID. Uploads are resumable
// sessions (gdrive_upload.hpp): nothing is visible before finish().
//
// Drive lets several files in a folder have one name. volback keeps one per key: an
// upload deletes the older files of its name once it has finished, and list(), stat()
// and open() use the newest (latest createdTime) when others remain (a deletion that
// failed, files made by other tools); remove() deletes every file of the name.
//
// list() runs files.list (gdrive_files.hpp); ObjectInfo::modified is the file's
// createdTime, which offen prunes by. open() reads with files.get?alt=media and Range
// requests, several in flight within the memory plan (planned_read_ahead). preflight()
// reads the folder's metadata (files.get): the token grant, the folder and access to it
// are checked, nothing is written.
// remove_incomplete_uploads() has nothing to do: an unfinished session holds no file,
// and Drive discards it within a week.
//
// Error kinds follow gdrive_client.hpp.

#include <memory>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/storage/gdrive/gdrive_client.hpp>
#include <volback/storage/gdrive/gdrive_settings.hpp>

namespace volback::storage::gdrive {

struct GdriveContext {
  util::Logger& log;
  const util::Clock& clock;
  const util::CancelToken& cancel;
  TransportFactory transports = {};  // empty: libcurl; tests pass fakes
};

// Creates the backend; nothing is contacted until the first operation. `context`'s
// references must outlive the backend, and its upload sinks must not outlive it.
// Thread-safety: the backend may be used from several threads; each UploadSink by one
// thread at a time.
std::unique_ptr<storage::Backend> make_gdrive_backend(GdriveSettings settings, GdriveContext context);

// "Google Drive folder <id>[ in shared drive <id>] at <api base>", for logs; no secret.
std::string describe_location(const GdriveSettings& settings);

}  // namespace volback::storage::gdrive
