#pragma once
// The journal of uploads that could not be aborted (the server was unreachable at that
// moment): S3's multipart uploads (<VOLBACK_STATE_DIR>/s3-stale-uploads) and Azure's
// staged blocks (azure-stale-uploads). One line "container<TAB>key<TAB>upload-id" each;
// the next run aborts them. Callers hold the run lock, so no two processes write a
// journal at once.

#include <string>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::storage {

struct StaleUpload {
  std::string container;  // the S3 bucket or the Azure container
  std::string key;
  std::string upload_id;
};

// Parses the journal's text; malformed lines are skipped. Pure.
std::vector<StaleUpload> parse_stale_uploads(std::string_view text);
std::string format_stale_uploads(const std::vector<StaleUpload>& uploads);

class StaleUploadJournal {
 public:
  // The journal `file_name` in `state_dir`, which is created on the first write if
  // missing. An empty `state_dir`: no journal.
  StaleUploadJournal(std::string state_dir, std::string file_name);

  // Appends one entry (creating the directory); errors are permanent/errno kinds.
  util::Result<void> record(const StaleUpload& upload) const;
  // Every entry; a missing journal is empty.
  util::Result<std::vector<StaleUpload>> load() const;
  // Replaces the journal with `uploads` (removes it when empty).
  util::Result<void> store(const std::vector<StaleUpload>& uploads) const;

  std::string path() const;

 private:
  std::string m_state_dir;
  std::string m_file_name;
};

}  // namespace volback::storage
