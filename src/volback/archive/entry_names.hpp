#pragma once
// archive: the name rules every archive entry passes before anything acts on it (restore
// writes it, verify counts it). An archive may come from anywhere, so its names are
// hostile until checked:
//   - a name is relative and clean: no leading '/', no empty, "." or ".." component (a
//     leading "./", as `tar -C dir .` writes, is dropped first);
//   - the first entry is a directory, the archived sources root ("backup"); every other
//     entry lies under it; an entry directly under it is a volume and must be a
//     directory, its name a valid volume name;
//   - every name appears once, except that a directory entry may follow entries inside
//     it that implied it;
//   - every ancestor of a name below the root is a directory: nothing is ever reached
//     through a symlink, a file or a device;
//   - a hard link names an earlier regular file of the same volume.
// With these rules an extraction that creates each admitted entry below its target never
// follows a link the archive made and never leaves the target.
//
// Memory: the ledger remembers every name by its NameDigest (name_digest.hpp): about 40
// bytes per name.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <volback/archive/name_digest.hpp>
#include <volback/archive/tar_reader.hpp>
#include <volback/util/result.hpp>

namespace volback::archive {

// Whether `name` can name a volume (a directory directly under the sources, and a
// directory name on the restoring host): one path component, not empty, "." or "..",
// without '/' or NUL, at most 255 bytes.
bool is_valid_volume_name(std::string_view name);

// The clean form of an archive name: leading "./" dropped (all of "." becomes ""), a
// trailing '/' dropped. Errors (corrupt): an absolute name, an empty, "." or ".."
// component. The message is the reason only.
util::Result<std::string> clean_entry_name(std::string_view name);

// An entry that passed the rules, with its name taken apart.
struct AdmittedEntry {
  std::string path;                   // the clean archive name
  std::optional<std::string> volume;  // nullopt for the sources root itself
  std::string relative;               // the name inside the volume; empty for the volume itself
  std::string link_relative;          // a hard link's target inside the same volume
};

class NameLedger {
 public:
  NameLedger() = default;

  // Checks `entry` (name, type, link target) against the rules and every entry admitted
  // before, and remembers it. Errors: corrupt, `unsafe entry "<name>": <reason>`; the
  // entry is not remembered.
  util::Result<AdmittedEntry> admit(const TarEntry& entry);

  // The sources root as the first entry named it ("" for "./"); empty before that.
  const std::string& sources() const { return m_sources; }
  // Whether the first entry was admitted.
  bool has_root() const { return m_has_root; }

  // Whether an entry of the clean name `name` was admitted (a directory only implied by
  // the names below it does not count).
  bool has_entry(std::string_view name) const;

 private:
  enum class Kind : std::uint8_t { directory, implied_directory, file, other };

  const Kind* find(std::string_view name) const;
  util::Result<AdmittedEntry> admit_below_root(const TarEntry& entry, std::string path);

  NameDigest m_digest;
  std::unordered_map<std::uint64_t, Kind> m_names;
  // A directory whose ancestors all passed, with itself: the usual next entry lies in it
  // (archives list a directory's entries together), and its ancestors need no new look.
  std::string m_checked_parent;
  std::string m_sources;
  bool m_has_root = false;
};

}  // namespace volback::archive
