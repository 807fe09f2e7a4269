#pragma once
// The Azure Blob upload sink and the clean-up of staged blocks (internal to storage/azure).
//
// Bytes collect in a block buffer. If finish() comes before the first block is full the
// blob goes up as one Put Blob. Otherwise full blocks go to up to
// AZURE_UPLOAD_CONCURRENCY worker threads, each with its own transport, as Put Block
// (with Content-MD5, so the service rejects a corrupted body), and finish() commits them
// with Put Block List. Block sizes follow PartSchedule (8 MiB, doubling every 5,000
// blocks, at most 4000 MiB; 50,000 blocks), and write() blocks while the buffers held
// (filling, queued and in flight) would exceed (concurrency + 1) blocks of the first
// size, so memory stays bounded. Staged blocks are invisible until committed. The
// access tier (x-ms-access-tier) and the content type go with the commit.
//
// Destruction without a successful finish() stops the workers and removes the staged
// blocks (remove_staged_blocks); when the service cannot be reached for that, the blob
// name goes to the stale-upload journal and the next run removes them.

#include <memory>
#include <string>

#include <volback/storage/azure/azure_client.hpp>
#include <volback/storage/backend.hpp>
#include <volback/storage/stale_uploads.hpp>

namespace volback::storage::azure {

// `client` and `journal` must outlive the sink. `key` is valid (check_key).
std::unique_ptr<UploadSink> make_azure_upload(AzureClient& client, const StaleUploadJournal& journal, std::string key,
                                              const PutOptions& options);

// Removes the uncommitted blocks staged for `blob`, leaving a committed blob of that
// name as it is (Azure discards its uncommitted blocks after a week): Delete Blob when
// no committed blob exists; where the service refuses to delete a blob that has only
// uncommitted blocks, an empty block list marked with the metadata volbackpartial=1 is
// committed first (list() never shows such a blob) and then deleted.
util::Result<void> remove_staged_blocks(AzureClient& client, http::Transport& transport, const std::string& blob);

}  // namespace volback::storage::azure
