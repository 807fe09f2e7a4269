#pragma once
// storage/webdav: the "WebDAV" backend, a directory on a WebDAV server (Nextcloud,
// ownCloud, a Hetzner Storage Box, Apache mod_dav, nginx dav, rclone serve webdav, ...).
//
// Objects are `<WEBDAV_URL>/<WEBDAV_PATH>/<key>`; nested keys live in collections made
// with MKCOL as needed. Uploads stream a PUT of a temporary name and MOVE it into place
// (webdav_upload.hpp); nothing is visible under the key before finish(). Authentication
// is basic or digest, whichever the server asks for.
//
// list() walks the collections below the base with PROPFIND Depth: 1 (recursive, a
// string prefix on the key), skipping names that start with '.' (temporary objects);
// ObjectInfo::modified is getlastmodified. open() stats the object and reads it in
// ranged GETs of 8 MiB. remove() is DELETE (a missing object is fine). preflight()
// PROPFINDs the base (Depth: 0): wrong credentials fail there (auth), a base that does
// not exist yet is fine (it is created by the first upload).
// remove_incomplete_uploads() deletes every `.volback-partial-*` object below the base.
//
// Error kinds follow webdav_client.hpp.

#include <memory>

#include <volback/storage/backend.hpp>
#include <volback/storage/webdav/webdav_client.hpp>
#include <volback/storage/webdav/webdav_settings.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>

namespace volback::storage::webdav {

struct WebdavContext {
  util::Logger& log;
  const util::CancelToken& cancel;
  TransportFactory transports = {};  // empty: libcurl; tests pass fakes
};

// Creates the backend; nothing is contacted until the first operation. `context`'s
// references must outlive the backend, and its upload sinks must not outlive it.
// Thread-safety: the backend may be used from several threads; each UploadSink by one
// thread at a time.
std::unique_ptr<storage::Backend> make_webdav_backend(WebdavSettings settings, WebdavContext context);

}  // namespace volback::storage::webdav
