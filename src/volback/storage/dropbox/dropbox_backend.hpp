#pragma once
// storage/dropbox: the "Dropbox" backend, files in a folder of a Dropbox account through
// the Dropbox API v2 (or an emulator of it).
//
// Objects are files `<DROPBOX_REMOTE_PATH>/<key>`. Uploads go as one files/upload or an
// upload session committed by finish() (dropbox_upload.hpp): nothing is visible before,
// so there are never partial files, and remove_incomplete_uploads() has nothing to do.
// Before the first upload the folder is created (files/create_folder_v2; the conflict
// answer of an existing folder is fine), as offen does.
//
// list() walks files/list_folder (recursive) and list_folder/continue, at most
// k_max_list_pages pages (a hostile server cannot keep it busy forever); keys are the
// paths relative to the folder, ObjectInfo::modified is server_modified (offen's prune
// timestamp). A missing folder lists nothing. stat() is files/get_metadata; open() reads
// with ranged files/download requests of 8 MiB; remove() is files/delete_v2 (a missing
// file is fine). preflight() fetches a token and reads the folder's metadata: wrong
// credentials fail there, before anything is stopped, and nothing is written.
//
// Error kinds follow dropbox_client.hpp.

#include <memory>
#include <string>

#include <volback/storage/backend.hpp>
#include <volback/storage/dropbox/dropbox_client.hpp>
#include <volback/storage/dropbox/dropbox_settings.hpp>

namespace volback::storage::dropbox {

// Pages of one listing at most (2,000 entries each: ten million entries).
inline constexpr unsigned k_max_list_pages = 5000;

struct DropboxContext {
  util::Logger& log;
  const util::CancelToken& cancel;
  TransportFactory transports = {};  // empty: libcurl; tests pass fakes
};

// Creates the backend; nothing is contacted until the first operation. `context`'s
// references must outlive the backend, and its upload sinks must not outlive it.
// Thread-safety: the backend may be used from several threads; each UploadSink by one
// thread at a time.
std::unique_ptr<storage::Backend> make_dropbox_backend(DropboxSettings settings, DropboxContext context);

}  // namespace volback::storage::dropbox
