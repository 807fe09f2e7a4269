#include <volback/archive/entry_names.hpp>

#include <fmt/format.h>

namespace volback::archive {
namespace {

util::Error unsafe(std::string_view name, std::string_view reason) {
  return util::Error(util::ErrorKind::corrupt, fmt::format("unsafe entry {:?}: {}", name, reason));
}

std::string_view kind_name(std::string_view type) {
  if (type == "file") {
    return "a regular file";
  }
  if (type == "symlink") {
    return "a symlink";
  }
  if (type == "hardlink") {
    return "a hard link";
  }
  return "not a directory";
}

}  // namespace

bool is_valid_volume_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.size() <= 255 &&
         name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

util::Result<std::string> clean_entry_name(std::string_view name) {
  while (name.starts_with("./")) {
    name.remove_prefix(2);
    while (name.starts_with('/')) {
      name.remove_prefix(1);  // ".//x" as some tars write it
    }
  }
  if (name == ".") {
    name = {};
  }
  while (name.size() > 1 && name.ends_with('/')) {
    name.remove_suffix(1);
  }
  if (name.starts_with('/')) {
    return util::fail(util::ErrorKind::corrupt, "the name is absolute");
  }
  if (name.find('\0') != std::string_view::npos) {
    return util::fail(util::ErrorKind::corrupt, "the name holds a NUL byte");
  }
  std::string_view rest = name;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view component = rest.substr(0, slash);
    if (component.empty() || component == "." || component == "..") {
      return util::fail(util::ErrorKind::corrupt, component.empty()
                                                    ? std::string("the name has an empty component")
                                                    : fmt::format("the name has a {:?} component", component));
    }
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  return std::string(name);
}

const NameLedger::Kind* NameLedger::find(std::string_view name) const {
  const auto it = m_names.find(m_digest(name));
  return it == m_names.end() ? nullptr : &it->second;
}

bool NameLedger::has_entry(std::string_view name) const {
  if (m_has_root && name == m_sources) {
    return true;
  }
  const Kind* kind = find(name);
  return kind != nullptr && *kind != Kind::implied_directory;
}

util::Result<AdmittedEntry> NameLedger::admit(const TarEntry& entry) {
  auto clean = clean_entry_name(entry.path);
  if (!clean) {
    return util::fail(unsafe(entry.path, clean.error().message()));
  }
  if (!m_has_root) {
    if (entry.type != "dir") {
      return util::fail(unsafe(entry.path, "the first entry must be the directory of the archived sources"));
    }
    m_has_root = true;
    m_sources = *clean;
    return AdmittedEntry{.path = std::move(*clean)};
  }
  return admit_below_root(entry, std::move(*clean));
}

util::Result<AdmittedEntry> NameLedger::admit_below_root(const TarEntry& entry, std::string path) {
  const std::size_t skip = m_sources.empty() ? 0 : m_sources.size() + 1;
  if (path.size() <= skip || (!m_sources.empty() && (!path.starts_with(m_sources) || path[m_sources.size()] != '/'))) {
    return util::fail(unsafe(entry.path, path == m_sources
                                           ? "it repeats the archived sources' directory"
                                           : fmt::format("it lies outside the archived sources {:?}", m_sources)));
  }
  const std::string_view inside = std::string_view(path).substr(skip);
  const auto first_slash = inside.find('/');
  AdmittedEntry admitted;
  admitted.volume = std::string(inside.substr(0, first_slash));
  if (!is_valid_volume_name(*admitted.volume)) {
    return util::fail(unsafe(entry.path, "its volume name is not a valid directory name"));
  }
  if (first_slash == std::string_view::npos && entry.type != "dir") {
    return util::fail(
      unsafe(entry.path, fmt::format("a volume must be a directory, this is {}", kind_name(entry.type))));
  }
  admitted.relative =
    first_slash == std::string_view::npos ? std::string() : std::string(inside.substr(first_slash + 1));

  // Every ancestor below the root must be a directory, named or implied.
  const auto last_slash = path.rfind('/');
  const std::string_view parent =
    last_slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, last_slash);
  const bool parent_checked = !m_checked_parent.empty() && parent == m_checked_parent;
  std::vector<std::uint64_t> implied;
  for (std::size_t at = parent_checked ? std::string_view::npos : inside.find('/'); at != std::string_view::npos;
       at = inside.find('/', at + 1)) {
    const std::string_view ancestor = std::string_view(path).substr(0, skip + at);
    const std::uint64_t key = m_digest(ancestor);
    const auto it = m_names.find(key);
    if (it == m_names.end()) {
      implied.push_back(key);
    } else if (it->second != Kind::directory && it->second != Kind::implied_directory) {
      return util::fail(unsafe(entry.path, fmt::format("it lies beneath {:?}, which is not a directory", ancestor)));
    }
  }

  const std::uint64_t self = m_digest(path);
  const auto existing = m_names.find(self);
  if (existing != m_names.end() && !(existing->second == Kind::implied_directory && entry.type == "dir")) {
    return util::fail(unsafe(entry.path, "the archive holds a second entry of this name"));
  }

  if (entry.type == "hardlink") {
    auto target = clean_entry_name(entry.link);
    const std::string volume_prefix = path.substr(0, skip) + *admitted.volume + "/";
    const Kind* kind = target ? find(*target) : nullptr;
    if (!target || !target->starts_with(volume_prefix) || kind == nullptr || *kind != Kind::file) {
      return util::fail(unsafe(entry.path, fmt::format("a hard link to {:?}, which is not an earlier regular file "
                                                       "of the same volume",
                                                       entry.link)));
    }
    admitted.link_relative = target->substr(volume_prefix.size());
  }

  for (const auto key : implied) {
    m_names.emplace(key, Kind::implied_directory);
  }
  const Kind kind = entry.type == "dir" ? Kind::directory : entry.type == "file" ? Kind::file : Kind::other;
  m_names.insert_or_assign(self, kind);
  m_checked_parent = kind == Kind::directory ? path : std::string(parent);
  admitted.path = std::move(path);
  return admitted;
}

}  // namespace volback::archive
