#include <volback/restic/snapshot_lookup.hpp>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include <volback/restic/pack.hpp>
#include <volback/util/hex_digit.hpp>

namespace volback::restic {

namespace {

// Seconds and nanoseconds with the nanoseconds below one second, for comparisons.
std::pair<std::int64_t, std::uint32_t> normalized_instant(const GoTime& time) {
  return {time.unix_seconds + time.nanoseconds / 1'000'000'000U, time.nanoseconds % 1'000'000'000U};
}

std::vector<std::string> sorted_paths(std::vector<std::string> paths) {
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

bool same_instant(const GoTime& a, const GoTime& b) {
  return normalized_instant(a) == normalized_instant(b);
}

util::Result<std::vector<StoredSnapshot>> load_snapshots(Repository& repository) {
  std::vector<StoredSnapshot> snapshots;
  VOLBACK_TRY_ASSIGN(const auto files, repository.list(FileType::snapshot));
  for (const auto& file : files) {
    VOLBACK_TRY_ASSIGN(const std::string json, repository.load_unpacked(FileType::snapshot, file.id));
    auto snapshot = parse_snapshot(json);
    if (!snapshot) {
      return util::fail(snapshot.error().with_context("snapshot " + file.id.short_hex()));
    }
    snapshots.push_back({file.id, std::move(*snapshot)});
  }
  return snapshots;
}

std::optional<StoredSnapshot> latest_snapshot(const std::vector<StoredSnapshot>& snapshots, std::string_view hostname,
                                              const std::vector<std::string>& paths) {
  const auto wanted = sorted_paths(paths);
  const StoredSnapshot* latest = nullptr;
  for (const auto& stored : snapshots) {
    if (stored.snapshot.hostname != hostname || sorted_paths(stored.snapshot.paths) != wanted) {
      continue;
    }
    if (latest == nullptr || normalized_instant(stored.snapshot.time) > normalized_instant(latest->snapshot.time)) {
      latest = &stored;
    }
  }
  return latest == nullptr ? std::nullopt : std::optional<StoredSnapshot>(*latest);
}

util::Result<StoredSnapshot> find_snapshot(const std::vector<StoredSnapshot>& snapshots,
                                           std::string_view id_or_latest) {
  if (id_or_latest == "latest") {
    const StoredSnapshot* latest = nullptr;
    for (const auto& stored : snapshots) {
      const auto key = std::pair(normalized_instant(stored.snapshot.time), stored.id);
      if (latest == nullptr || key > std::pair(normalized_instant(latest->snapshot.time), latest->id)) {
        latest = &stored;
      }
    }
    if (latest == nullptr) {
      return util::fail(util::ErrorKind::not_found, "the repository has no snapshot");
    }
    return *latest;
  }
  std::string prefix(id_or_latest);
  if (prefix.empty() || prefix.size() > 64 ||
      !std::all_of(prefix.begin(), prefix.end(), [](char c) { return util::hex_digit_value(c) >= 0; })) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("\"{}\" is neither \"latest\" nor a snapshot id", id_or_latest));
  }
  std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  const StoredSnapshot* found = nullptr;
  for (const auto& stored : snapshots) {
    if (stored.id.hex().starts_with(prefix)) {
      if (found != nullptr && found->id != stored.id) {
        return util::fail(util::ErrorKind::invalid_argument,
                          fmt::format("snapshot prefix {} is ambiguous: {} and {}", prefix, found->id.short_hex(),
                                      stored.id.short_hex()));
      }
      found = &stored;
    }
  }
  if (found == nullptr) {
    return util::fail(util::ErrorKind::not_found, fmt::format("no snapshot {}", prefix));
  }
  return *found;
}

util::Result<std::vector<Node>> load_tree(Repository& repository, const BlobIndex& index, const Id& id) {
  const auto location = index.find(BlobType::tree, id);
  if (!location) {
    return util::fail(util::ErrorKind::not_found, fmt::format("tree {} is not in the index", id.short_hex()));
  }
  VOLBACK_TRY_ASSIGN(const std::string stored,
                     repository.read_range(FileType::pack, location->pack, location->offset, location->length));
  const PackedBlob blob{.type = BlobType::tree,
                        .id = id,
                        .offset = location->offset,
                        .length = location->length,
                        .uncompressed_length = location->uncompressed_length};
  VOLBACK_TRY_ASSIGN(const std::string json, open_blob(repository.key(), blob, stored));
  auto nodes = parse_tree(json);
  if (!nodes) {
    return util::fail(nodes.error().with_context("tree " + id.short_hex()));
  }
  return nodes;
}

}  // namespace volback::restic
