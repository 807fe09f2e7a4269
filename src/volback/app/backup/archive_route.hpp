#pragma once
// Where the archive stream goes, decided once per run.
//
//   stream_to_all   nothing was stopped and every backend takes a live stream: the one
//                   stream feeds every backend at once, with back-pressure, and no
//                   temporary copy is made.
//   via_local_file  something was stopped and a local backend exists: the stream is
//                   written at disk speed to the local backend's file; once it is
//                   sealed the containers come back, and the other backends upload
//                   from that file.
//   via_spool       something was stopped and no backend is on local disk: the same,
//                   through an explicit spool file that is removed at the end.
// With BACKUP_FROM_SNAPSHOT the containers are back before the archive starts, so the
// job chooses as if nothing was stopped.
// A backend that cannot take a live stream (storage::Properties::streaming_upload) makes
// the run take one of the disk routes even when nothing was stopped; it uploads from the
// complete file after the seal, the others while the file grows. So does a run whose exec
// commands after the seal may read the file (COMMAND_RUNTIME_ARCHIVE_FILEPATH), and a run
// with no backend at all (the file is then all there is, for those commands).
//
// The "seal" is the moment the archive is completely written to local disk (or, when
// streaming, completely produced); the "commit" is the moment every backend has it.

namespace volback::app {

enum class ArchiveRoute { stream_to_all, via_local_file, via_spool };

struct RouteInputs {
  bool containers_stopped = false;    // the Quiescer stopped something
  bool has_local_backend = false;     // a backend keeps its data on this machine's disk
  bool every_backend_streams = true;  // each backend takes a live stream of unknown length
  bool archive_file_wanted = false;   // commands after the seal, or no backend at all
};

// Pure.
ArchiveRoute choose_route(const RouteInputs& inputs);

}  // namespace volback::app
