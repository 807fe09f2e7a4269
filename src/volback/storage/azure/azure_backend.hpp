#pragma once
// storage/azure: the "Azure" backend, block blobs in a container of an Azure Storage
// account (or an emulator such as Azurite).
//
// Objects are blobs `<AZURE_STORAGE_PATH>/<key>` in the container. Uploads stream as
// staged blocks committed by finish() (azure_upload.hpp): nothing is visible before.
// Requests are signed with Shared Key (shared_key.hpp) and retried when transient.
//
// list() pages through List Blobs (recursive, a string prefix, as offen); keys are
// returned relative to AZURE_STORAGE_PATH and ObjectInfo::modified is Last-Modified.
// open() reads with ranged Get Blob requests of 8 MiB. preflight() lists at most one
// blob of the prefix: a wrong key or a missing container fails there.
// remove_incomplete_uploads() removes the staged blocks of the uploads the journal
// names, and any placeholder an interrupted clean-up left.
//
// Error kinds follow azure_client.hpp.

#include <memory>
#include <string>

#include <volback/storage/azure/azure_client.hpp>
#include <volback/storage/azure/azure_settings.hpp>
#include <volback/storage/backend.hpp>

namespace volback::storage::azure {

struct AzureContext {
  util::Logger& log;
  const util::Clock& clock;
  const util::CancelToken& cancel;
  std::string state_dir;             // where unremovable staged uploads are recorded; empty: nowhere
  TransportFactory transports = {};  // empty: libcurl; tests pass fakes
};

// Creates the backend; nothing is contacted until the first operation. `context`'s
// references must outlive the backend, and its upload sinks must not outlive it.
// Thread-safety: the backend may be used from several threads; each UploadSink by one
// thread at a time.
std::unique_ptr<storage::Backend> make_azure_backend(AzureSettings settings, AzureContext context);

}  // namespace volback::storage::azure
