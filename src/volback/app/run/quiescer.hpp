#pragma once
// Quiescing the stack around the archive: stopping the containers whose data is being
// read, and bringing them back as soon as the archive is sealed.
//
// The backup job calls quiesce() before the archive is written and resume() at the
// seal point, or on any failure path before that. The Docker integration implements
// this interface; without Docker nothing is stopped.

#include <string>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::app {

// What quiesce() stopped, or what plan() would stop, by name.
struct Quiesced {
  std::vector<std::string> containers;  // in stop order
  std::vector<std::string> services;    // Swarm services scaled to 0
  std::size_t running_containers = 0;   // how many containers were running in all
  std::size_t all_services = 0;         // how many Swarm services there were

  bool any() const { return !containers.empty() || !services.empty(); }
};

class Quiescer {
 public:
  virtual ~Quiescer() = default;

  // Repairs what an interrupted earlier run left quiesced (containers it stopped and
  // never restarted). Called by every command that takes the global run lock, right
  // after taking it, and never without it: a run that still holds the lock is alive.
  virtual util::Result<void> recover() { return {}; }

  // Stops what must not run while its data is read, and says what it stopped. When
  // anything was, the job writes the archive to local disk first, so that resume()
  // can come before slow uploads. On error, whatever was stopped has been resumed.
  virtual util::Result<Quiesced> quiesce() = 0;

  // What quiesce() would stop now, changing nothing (for --dry-run).
  virtual util::Result<Quiesced> plan() { return Quiesced{}; }

  // Restarts what quiesce() stopped. Called exactly once after a successful
  // quiesce(), on every path. Errors are reported, never swallowed.
  virtual util::Result<void> resume() = 0;
};

// Stops nothing.
class NoQuiescer final : public Quiescer {
 public:
  util::Result<Quiesced> quiesce() override { return Quiesced{}; }
  util::Result<void> resume() override { return {}; }
};

}  // namespace volback::app
