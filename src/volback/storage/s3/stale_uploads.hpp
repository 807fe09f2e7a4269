#pragma once
// The journal of multipart uploads that could not be aborted (the server was unreachable
// at that moment): one line "bucket<TAB>key<TAB>upload-id" each, in
// <VOLBACK_STATE_DIR>/s3-stale-uploads. The next run aborts them. Callers hold the run
// lock, so no two processes write the journal at once.

#include <string>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::storage::s3 {

struct StaleUpload {
  std::string bucket;
  std::string key;
  std::string upload_id;
};

// Parses the journal's text; malformed lines are skipped. Pure.
std::vector<StaleUpload> parse_stale_uploads(std::string_view text);
std::string format_stale_uploads(const std::vector<StaleUpload>& uploads);

class StaleUploadJournal {
 public:
  // `state_dir` is created on the first write if missing. Empty: no journal.
  explicit StaleUploadJournal(std::string state_dir);

  // Appends one entry (creating the directory); errors are permanent/errno kinds.
  util::Result<void> record(const StaleUpload& upload) const;
  // Every entry; a missing journal is empty.
  util::Result<std::vector<StaleUpload>> load() const;
  // Replaces the journal with `uploads` (removes it when empty).
  util::Result<void> store(const std::vector<StaleUpload>& uploads) const;

  std::string path() const;

 private:
  std::string m_state_dir;
};

}  // namespace volback::storage::s3
