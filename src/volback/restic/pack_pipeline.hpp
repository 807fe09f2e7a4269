#pragma once
// PackPipeline: the part of a backup behind the reader. Blobs handed to submit() are
// compressed and sealed by worker threads, appended to a data or a tree pack, and each
// pack that reaches the target size is uploaded by an uploader thread while the caller
// goes on reading, chunking and hashing. Packs are built in unnamed files in `temp_dir`
// (PackFile), not in memory. Memory stays bounded whatever the backend's speed: at most
// `queue_bytes` of plaintext wait and each worker holds one blob; disk, by two packs of
// each type: one finished pack uploads while the next fills, a pack is finished before a
// blob would take it past `pack_size`, and waits for the upload before it (submit() then
// waits too). Packs are reported only once stored (take_uploaded), so a caller never
// indexes a pack that is not in the repository. A failure (sealing, writing a pack file
// or uploading) stops the pipeline: every later call returns it.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <volback/restic/index_file.hpp>
#include <volback/restic/pack.hpp>
#include <volback/restic/pack_file.hpp>
#include <volback/restic/repository.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

struct PackPipelineOptions {
  std::size_t workers = 0;  // 0: one per core but the caller's
  std::size_t queue_bytes = std::size_t{2} << 20;
  std::size_t pack_size = k_target_pack_size;
  bool compress = true;           // false for version 1 repositories
  std::string temp_dir = "/tmp";  // where packs are built
};

struct UploadedPack {
  IndexedPack pack;
  std::uint64_t bytes = 0;
};

class PackPipeline {
 public:
  // Starts the threads. `repository` must outlive the pipeline; its backend is used from
  // the uploader thread while the caller may read through it.
  PackPipeline(Repository& repository, PackPipelineOptions options = {});
  // Stops the threads: what is queued and the unfinished packs are dropped, an upload in
  // progress completes first.
  ~PackPipeline();
  PackPipeline(const PackPipeline&) = delete;
  PackPipeline& operator=(const PackPipeline&) = delete;

  // Queues the blob `id` (the SHA-256 of `plaintext`), waiting while the queue is full.
  // Takes plaintext's bytes and leaves it an empty buffer to reuse (with the capacity of
  // one a worker finished with, when there is one). Errors: the pipeline's first failure.
  util::Result<void> submit(BlobType type, const Id& id, std::string& plaintext);
  // The packs stored since the last call, in the order of their uploads.
  std::vector<UploadedPack> take_uploaded();
  // Seals everything queued, uploads the unfinished packs and waits until they are stored.
  // Errors: the pipeline's first failure.
  util::Result<void> drain();

 private:
  struct Job {
    BlobType type;
    Id id;
    std::string plaintext;
  };

  void work();
  void upload();
  // With m_mutex held: waits until no pack is uploading, then finishes `builder` into the
  // upload slot (unless another thread emptied it meanwhile). False when the pipeline
  // failed or stops meanwhile.
  bool hand_over(std::unique_lock<std::mutex>& lock, std::optional<PackFile>& builder);
  // With m_mutex held: appends `sealed` to `builder`, which is created first when there is
  // none. False (the pipeline failed) when the pack file cannot be created or written.
  bool append(std::optional<PackFile>& builder, const SealedBlob& sealed);
  void fail(util::Error error);  // with m_mutex held
  void wake_everyone();
  std::string spare_buffer();           // with m_mutex held
  void keep_spare(std::string buffer);  // with m_mutex held
  std::optional<PackFile>& builder_for(BlobType type) { return type == BlobType::data ? m_data : m_tree; }

  Repository& m_repository;
  PackPipelineOptions m_options;
  std::mutex m_mutex;
  std::condition_variable m_work_ready;   // a job is queued (workers wait)
  std::condition_variable m_space;        // the queue has room (submit waits)
  std::condition_variable m_slot_filled;  // a pack is to upload (the uploader waits)
  std::condition_variable m_slot_empty;   // the upload is done (hand_over and drain wait)
  std::condition_variable m_idle;         // no job queued or in a worker (drain waits)
  std::deque<Job> m_queue;
  std::size_t m_queued_bytes = 0;
  std::size_t m_busy_workers = 0;
  std::optional<PackFile> m_data;  // created with its first blob
  std::optional<PackFile> m_tree;
  std::optional<FinishedPackFile> m_slot;      // the pack the uploader stores
  std::vector<std::string> m_spare_plaintext;  // buffers of sealed jobs, for the next ones
  std::size_t m_spare_bytes = 0;               // their capacities
  std::size_t m_spare_limit = 0;               // at most this much
  std::vector<UploadedPack> m_uploaded;
  std::optional<util::Error> m_failure;
  bool m_stopping = false;
  std::vector<std::thread> m_threads;
};

}  // namespace volback::restic
