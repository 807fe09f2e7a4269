#include <volback/restic/repository_check.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>

#include <volback/restic/blob_index.hpp>
#include <volback/restic/index_file.hpp>
#include <volback/restic/pack.hpp>
#include <volback/restic/snapshot.hpp>
#include <volback/restic/snapshot_lookup.hpp>

namespace volback::restic {

namespace {

void check_problem(CheckReport& report, std::string problem) {
  if (report.problems.size() < k_max_check_problems) {
    report.problems.push_back(std::move(problem));
  } else {
    ++report.problems_omitted;
  }
}

// The size of a pack holding `blobs`: the blobs, the sealed header and its length.
std::uint64_t check_expected_pack_size(const std::vector<PackedBlob>& blobs) {
  std::uint64_t size = 32 + 4;
  for (const auto& blob : blobs) {
    size += blob.length + (blob.uncompressed_length ? 41 : 37);
  }
  return size;
}

std::vector<PackedBlob> check_by_offset(std::vector<PackedBlob> blobs) {
  std::sort(blobs.begin(), blobs.end(), [](const PackedBlob& a, const PackedBlob& b) {
    return std::tie(a.offset, a.id) < std::tie(b.offset, b.id);
  });
  return blobs;
}

// Reads `length` bytes of `source` into `out` (replaced). Errors: the source's; corrupt
// when it ends first.
util::Result<void> check_read_exactly(io::Source& source, std::size_t length, std::string& out) {
  out.resize(length);
  for (std::size_t got = 0; got < length;) {
    VOLBACK_TRY_ASSIGN(const std::size_t n,
                       source.read(std::as_writable_bytes(std::span(out.data() + got, length - got))));
    if (n == 0) {
      return util::fail(util::ErrorKind::corrupt, fmt::format("it ends {} bytes early", length - got));
    }
    got += n;
  }
  return {};
}

// Reads a pack as a stream, one blob at a time: its header first (from its tail), then
// every blob in offset order, each authenticated, decompressed and hashed to its id, and
// the whole pack hashed to its name. Memory: one blob.
void check_pack_data(Repository& repository, const Id& pack, std::uint64_t size, const std::vector<PackedBlob>& indexed,
                     CheckReport& report) {
  const std::string name = "pack " + pack.hex();
  const auto problem = [&](const std::string& what) { check_problem(report, fmt::format("{}: {}", name, what)); };
  auto header = repository.load_pack_header(pack, size);
  if (!header) {
    problem(header.error().message());
    return;
  }
  const auto blobs = check_by_offset(*header);
  if (blobs != check_by_offset(indexed)) {
    problem(
      fmt::format("its header lists {} blobs that differ from the {} the index lists", blobs.size(), indexed.size()));
  }
  auto source = repository.open(FileType::pack, pack);
  if (!source) {
    problem(source.error().message());
    return;
  }
  IdHasher hash;
  std::string bytes;
  std::uint64_t at = 0;
  for (const auto& blob : blobs) {  // read_pack_header checked that they fill the pack from 0
    if (auto read = check_read_exactly(**source, blob.length, bytes); !read) {
      problem(read.error().message());
      return;
    }
    hash.update(bytes);
    at += blob.length;
    if (auto plaintext = open_blob(repository.key(), blob, bytes); !plaintext) {
      problem(fmt::format("{} blob {}: {}", blob_type_name(blob.type), blob.id.hex(), plaintext.error().message()));
    }
  }
  if (auto read = check_read_exactly(**source, size - at, bytes); !read) {
    problem(read.error().message());
    return;
  }
  hash.update(bytes);
  ++report.packs_read;
  auto actual = hash.finish();
  if (!actual) {
    problem(actual.error().message());
  } else if (*actual != pack) {
    problem(fmt::format("its content hashes to {}", actual->hex()));
  }
}

}  // namespace

util::Result<CheckReport> check_repository(Repository& repository, const CheckOptions& options,
                                           const util::CancelToken& cancel) {
  if (!(options.subset_fraction >= 0.0 && options.subset_fraction <= 1.0)) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("the subset fraction {} is not within [0, 1]", options.subset_fraction));
  }
  CheckReport report;

  // The index files.
  BlobIndex index;
  std::map<Id, std::vector<PackedBlob>> indexed_packs;  // the first index naming a pack wins
  VOLBACK_TRY_ASSIGN(const auto index_files, repository.list(FileType::index));
  for (const auto& file : index_files) {
    VOLBACK_TRY(cancel.check());
    auto json = repository.load_unpacked(FileType::index, file.id);
    auto parsed = json ? parse_index(*json) : util::Result<IndexFile>(util::fail(json.error()));
    if (!parsed) {
      check_problem(report, fmt::format("index {}: {}", file.id.hex(), parsed.error().message()));
      continue;
    }
    ++report.index_files;
    for (const auto& pack : parsed->packs) {
      indexed_packs.try_emplace(pack.id, pack.blobs);
      index.add_pack(pack);
    }
  }
  report.packs = indexed_packs.size();
  report.blobs = index.blob_count();

  // The packs.
  VOLBACK_TRY_ASSIGN(const auto pack_files, repository.list(FileType::pack));
  std::map<Id, std::uint64_t> pack_sizes;
  for (const auto& file : pack_files) {
    pack_sizes[file.id] = file.size;
    if (!indexed_packs.contains(file.id)) {
      report.warnings.push_back(fmt::format("pack {}: not referenced by any index", file.id.hex()));
    }
  }
  std::vector<const std::pair<const Id, std::vector<PackedBlob>>*> present;
  for (const auto& entry : indexed_packs) {
    const auto& [pack, blobs] = entry;
    const auto found = pack_sizes.find(pack);
    if (found == pack_sizes.end()) {
      check_problem(
        report, fmt::format("pack {}: missing from data/ (the index lists {} blobs in it)", pack.hex(), blobs.size()));
      continue;
    }
    const std::uint64_t expected = check_expected_pack_size(blobs);
    if (found->second != expected) {
      check_problem(report,
                    fmt::format("pack {}: {} bytes where the index implies {}", pack.hex(), found->second, expected));
    }
    present.push_back(&entry);
  }

  // The snapshots and the trees reachable from them.
  VOLBACK_TRY_ASSIGN(const auto snapshot_files, repository.list(FileType::snapshot));
  std::vector<Id> todo;
  for (const auto& file : snapshot_files) {
    VOLBACK_TRY(cancel.check());
    auto json = repository.load_unpacked(FileType::snapshot, file.id);
    auto parsed = json ? parse_snapshot(*json) : util::Result<Snapshot>(util::fail(json.error()));
    if (!parsed) {
      check_problem(report, fmt::format("snapshot {}: {}", file.id.hex(), parsed.error().message()));
      continue;
    }
    ++report.snapshots;
    todo.push_back(parsed->tree);
  }
  std::set<Id> seen;
  while (!todo.empty()) {
    const Id tree = todo.back();
    todo.pop_back();
    if (!seen.insert(tree).second) {
      continue;
    }
    VOLBACK_TRY(cancel.check());
    auto nodes = load_tree(repository, index, tree);
    if (!nodes) {
      check_problem(report, nodes.error().message());
      continue;
    }
    ++report.trees;
    for (const auto& node : *nodes) {
      if (node.subtree) {
        todo.push_back(*node.subtree);
      }
      if (!node.content) {
        continue;
      }
      for (const auto& blob : *node.content) {
        if (!index.contains(BlobType::data, blob)) {
          check_problem(report, fmt::format("tree {}: file {}: data blob {} is not in the index", tree.hex(), node.name,
                                            blob.hex()));
        }
      }
    }
  }

  // The data.
  if (options.read_data) {
    const auto selected =
      static_cast<std::size_t>(std::ceil(options.subset_fraction * static_cast<double>(present.size())));
    // One reader per core, each holding one pack at a time; the problems are reported in
    // the packs' order whatever thread found them.
    const std::size_t count = std::min(selected, present.size());
    std::vector<CheckReport> per_pack(count);
    std::atomic<std::size_t> next{0};
    const auto read_packs = [&] {
      for (std::size_t i = next++; i < count && !cancel.requested(); i = next++) {
        const auto& [pack, blobs] = *present[i];
        check_pack_data(repository, pack, pack_sizes.at(pack), blobs, per_pack[i]);
      }
    };
    std::vector<std::thread> readers(std::min<std::size_t>(count, std::max(1U, std::thread::hardware_concurrency())));
    for (auto& reader : readers) {
      reader = std::thread(read_packs);
    }
    for (auto& reader : readers) {
      reader.join();
    }
    VOLBACK_TRY(cancel.check());
    for (auto& pack_report : per_pack) {
      report.packs_read += pack_report.packs_read;
      for (auto& problem : pack_report.problems) {
        check_problem(report, std::move(problem));
      }
    }
  }
  return report;
}

}  // namespace volback::restic
