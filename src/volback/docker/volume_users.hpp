#pragma once
// Which containers use a directory that is about to be restored in place. Pure
// functions over what the daemon reported, so every rule is unit-tested without one.
//
// A restored directory is named by a VolumeRef: the named Docker volume it lies in, if
// any, and its path on the Docker host. A container uses it when one of its mounts is
// that named volume, or when the mount's host path and the directory's overlap (equal,
// one inside the other): a container that bind-mounts /srv uses /srv/db, and one that
// bind-mounts /srv/db/wal uses /srv/db.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/docker/api.hpp>

namespace volback::docker {

struct VolumeRef {
  std::string volume;     // the named volume the directory lies in; empty if none
  std::string host_path;  // the directory's path on the Docker host; empty if unknown
};

// Where `dir` (an absolute, normalised path as this process sees it) lives on the
// Docker host. `own_mounts` are the mounts of the container this process runs in, or
// nullopt when it runs on the host itself, where `dir` is its own host path. In a
// container the mount with the longest destination at or above `dir` decides; a
// directory on no mount is in the container's own file system, which no other
// container uses (empty ref).
VolumeRef volume_ref_of(const std::string& dir, const std::optional<std::vector<Mount>>& own_mounts);

// Whether one of the container's mounts uses the directory named by `ref`.
bool uses(const ContainerSummary& container, const VolumeRef& ref);

// The containers among `running` that use any of `refs`, except the one whose id is
// `self_id` (the container volback runs in; empty on the host), in `running`'s order.
std::vector<ContainerSummary> containers_using(const std::vector<ContainerSummary>& running,
                                               const std::vector<VolumeRef>& refs, std::string_view self_id);

// The id of the container this process runs in, read from the text of
// /proc/self/mountinfo: Docker bind-mounts /etc/hostname from
// <docker root>/containers/<id>/hostname. nullopt outside a Docker container.
std::optional<std::string> own_container_id(std::string_view mountinfo);

}  // namespace volback::docker
