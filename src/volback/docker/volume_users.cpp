#include <volback/docker/volume_users.hpp>

#include <algorithm>

namespace volback::docker {

namespace {

std::string_view without_trailing_slash(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') {
    path.remove_suffix(1);
  }
  return path;
}

// Whether `inner` is `outer` or lies inside it.
bool at_or_under(std::string_view inner, std::string_view outer) {
  inner = without_trailing_slash(inner);
  outer = without_trailing_slash(outer);
  if (outer == "/") {
    return !inner.empty() && inner.front() == '/';
  }
  return inner == outer || (inner.size() > outer.size() && inner.starts_with(outer) && inner[outer.size()] == '/');
}

bool overlap(std::string_view a, std::string_view b) {
  return !a.empty() && !b.empty() && (at_or_under(a, b) || at_or_under(b, a));
}

}  // namespace

VolumeRef volume_ref_of(const std::string& dir, const std::optional<std::vector<Mount>>& own_mounts) {
  if (!own_mounts) {
    return {"", std::string(without_trailing_slash(dir))};
  }
  const Mount* best = nullptr;
  for (const auto& mount : *own_mounts) {
    if (!mount.destination.empty() && at_or_under(dir, mount.destination) &&
        (best == nullptr ||
         without_trailing_slash(mount.destination).size() > without_trailing_slash(best->destination).size())) {
      best = &mount;
    }
  }
  if (best == nullptr) {
    return {};
  }
  VolumeRef ref;
  if (best->type == "volume") {
    ref.volume = best->name;
  }
  if (!best->source.empty()) {
    const std::string_view rest =
      std::string_view(without_trailing_slash(dir)).substr(without_trailing_slash(best->destination).size());
    ref.host_path = std::string(without_trailing_slash(best->source));
    if (!rest.empty() && rest != "/") {
      ref.host_path += ref.host_path == "/" ? std::string(rest.substr(1)) : std::string(rest);
    }
  }
  return ref;
}

bool uses(const ContainerSummary& container, const VolumeRef& ref) {
  return std::any_of(container.mounts.begin(), container.mounts.end(), [&ref](const Mount& mount) {
    if (!ref.volume.empty() && mount.type == "volume" && mount.name == ref.volume) {
      return true;
    }
    return overlap(mount.source, ref.host_path);
  });
}

std::vector<ContainerSummary> containers_using(const std::vector<ContainerSummary>& running,
                                               const std::vector<VolumeRef>& refs, std::string_view self_id) {
  std::vector<ContainerSummary> users;
  for (const auto& container : running) {
    if (!self_id.empty() && container.id == self_id) {
      continue;
    }
    if (std::any_of(refs.begin(), refs.end(), [&container](const VolumeRef& ref) { return uses(container, ref); })) {
      users.push_back(container);
    }
  }
  return users;
}

std::optional<std::string> own_container_id(std::string_view mountinfo) {
  // A line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... - FSTYPE SOURCE SUPER".
  constexpr std::string_view marker = "/containers/";
  while (!mountinfo.empty()) {
    const auto eol = mountinfo.find('\n');
    const std::string_view line = mountinfo.substr(0, eol);
    mountinfo = eol == std::string_view::npos ? std::string_view() : mountinfo.substr(eol + 1);
    std::string_view fields[5];
    std::string_view rest = line;
    std::size_t n = 0;
    for (; n < 5 && !rest.empty(); ++n) {
      const auto space = rest.find(' ');
      fields[n] = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    }
    if (n < 5 || fields[4] != "/etc/hostname") {
      continue;
    }
    const std::string_view root = fields[3];
    const auto at = root.rfind(marker);
    if (at == std::string_view::npos) {
      continue;
    }
    const std::string_view id = root.substr(at + marker.size(), 64);
    const bool hex = id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (hex && root.substr(at + marker.size() + 64) == "/hostname") {
      return std::string(id);
    }
  }
  return std::nullopt;
}

}  // namespace volback::docker
