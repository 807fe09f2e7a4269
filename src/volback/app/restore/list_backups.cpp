#include <volback/app/restore/list_backups.hpp>

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace volback::app {
namespace {

std::string human_size(std::uint64_t bytes) {
  static constexpr const char* k_units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(k_units)) {
    value /= 1024.0;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, k_units[unit]);
}

}  // namespace

CollectedBackups collect_backups(std::span<storage::Backend* const> backends, std::string_view prefix) {
  CollectedBackups result;
  std::map<std::string, BackupListing> by_name;
  std::vector<std::string> names;
  for (auto* backend : backends) {
    const std::string backend_name(backend->name());
    auto listed = backend->list(prefix, [&](const storage::ObjectInfo& info) -> util::Result<void> {
      auto [it, inserted] = by_name.try_emplace(info.key);
      BackupListing& listing = it->second;
      if (inserted) {
        listing.name = info.key;
        listing.size = info.size;
        listing.time = info.modified;
      } else {
        listing.time = std::min(listing.time, info.modified);
      }
      listing.backends.push_back(backend_name);
      return {};
    });
    if (!listed) {
      result.errors.push_back(listed.error().with_context(fmt::format("listing backend {}", backend_name)));
      // What it listed before failing is not trusted either way.
      for (auto& [key, listing] : by_name) {
        std::erase(listing.backends, backend_name);
      }
      std::erase_if(by_name, [](const auto& item) { return item.second.backends.empty(); });
      continue;
    }
    names.push_back(backend_name);
  }
  std::vector<BackupListing>& out = result.backups;
  out.reserve(by_name.size());
  for (auto& [name, listing] : by_name) {
    for (const auto& backend : names) {
      if (std::find(listing.backends.begin(), listing.backends.end(), backend) == listing.backends.end()) {
        listing.missing.push_back(backend);
      }
    }
    out.push_back(std::move(listing));
  }
  std::sort(out.begin(), out.end(), [](const BackupListing& a, const BackupListing& b) {
    return a.time != b.time ? a.time > b.time : a.name > b.name;
  });
  return result;
}

std::string format_listing_text(std::span<const BackupListing> backups, const util::TimeZone& zone) {
  // A name comes from whoever can write to the storage: escaped, it cannot add a row or
  // drive the terminal.
  std::vector<std::string> names;
  names.reserve(backups.size());
  std::size_t width = 4;
  for (const auto& b : backups) {
    names.push_back(util::escape_for_terminal(b.name));
    width = std::max(width, names.back().size());
  }
  std::string out = fmt::format("{:<{}}  {:>10}  {:<25}  {}\n", "NAME", width, "SIZE", "TIME", "BACKENDS");
  for (std::size_t i = 0; i < backups.size(); ++i) {
    const auto& b = backups[i];
    std::string where = fmt::format("{}", fmt::join(b.backends, ", "));
    if (!b.missing.empty()) {
      where += fmt::format("  [only on some backends: missing from {}]", fmt::join(b.missing, ", "));
    }
    out += fmt::format("{:<{}}  {:>10}  {:<25}  {}\n", names[i], width, human_size(b.size),
                       util::format_rfc3339(b.time, zone), where);
  }
  return out;
}

std::string format_listing_json(std::span<const BackupListing> backups) {
  auto array = nlohmann::json::array();
  for (const auto& b : backups) {
    array.push_back({{"name", b.name},
                     {"size", b.size},
                     {"time", util::format_rfc3339(b.time, util::TimeZone::utc())},
                     {"backends", b.backends},
                     {"missing", b.missing},
                     {"complete", b.missing.empty()}});
  }
  return array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

util::Result<ResolvedBackup> resolve_backup(std::span<const std::unique_ptr<storage::Backend>> all,
                                            std::string_view backend_name, std::string_view backup,
                                            std::string_view prefix, util::Logger& log) {
  std::vector<storage::Backend*> selected;
  std::vector<std::string> names;
  const auto same = [](std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
  };
  for (const auto& backend : all) {
    names.emplace_back(backend->name());
    if (backend_name.empty() || same(backend_name, backend->name())) {
      selected.push_back(backend.get());
    }
  }
  if (selected.empty()) {
    return util::fail(
      util::ErrorKind::invalid_argument,
      fmt::format("no configured backend is called {:?} (configured: {})", backend_name, fmt::join(names, ", ")));
  }
  const bool latest = backup == "latest";
  const auto listed = collect_backups(selected, latest ? prefix : backup);
  for (const auto& error : listed.errors) {
    log.warn("A backend could not be listed", {{"error", error.message()}});
  }
  for (const auto& candidate : listed.backups) {
    if (latest || candidate.name == backup) {
      for (auto* backend : selected) {
        if (backend->name() == candidate.backends.front()) {
          return ResolvedBackup{candidate.name, backend};
        }
      }
    }
  }
  return util::fail(util::ErrorKind::not_found,
                    latest ? std::string("there is no backup") : fmt::format("backup {:?} was not found", backup));
}

}  // namespace volback::app
