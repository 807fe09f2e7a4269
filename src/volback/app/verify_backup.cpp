#include <volback/app/verify_backup.hpp>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include <fmt/format.h>

#include <volback/app/list_backups.hpp>
#include <volback/archive/manifest.hpp>
#include <volback/archive/sha256.hpp>
#include <volback/archive/tar_reader.hpp>

namespace volback::app {
namespace {

// Where in the archive a stream error happened, for people: inside the entry whose data
// was being read, or after the last complete entry.
std::string position(const std::string& current, const std::string& last_entry) {
  if (!current.empty()) {
    return fmt::format("in entry {}", current);
  }
  return last_entry.empty() ? "at the start of the archive" : fmt::format("after entry {}", last_entry);
}

std::string describe_stream_error(const archive::TarReader& reader, compress::Codec codec, const util::Error& error,
                                  const std::string& current, const std::string& last_entry) {
  if (reader.source_failed()) {
    return fmt::format("corrupt {} stream {}: {}", stream_name(codec), position(current, last_entry),
                       error.message());
  }
  return fmt::format("damaged tar stream {}: {}", position(current, last_entry), error.message());
}

// The differences between what the manifest promises and what the archive holds.
void compare_entry(const archive::ManifestEntry& want, const archive::ManifestEntry& got,
                   std::vector<std::string>& problems) {
  const auto& path = want.path;
  if (want.type != got.type) {
    problems.push_back(fmt::format("{}: type is {}, the manifest says {}", path, got.type, want.type));
    return;
  }
  if (want.size != got.size) {
    problems.push_back(fmt::format("{}: size is {}, the manifest says {}", path, got.size, want.size));
  } else if (want.sha256 != got.sha256) {
    problems.push_back(fmt::format("{}: content differs from the manifest (SHA-256 {} instead of {})", path,
                                   got.sha256, want.sha256));
  }
  if (want.mode != got.mode) {
    problems.push_back(fmt::format("{}: mode is {:04o}, the manifest says {:04o}", path, got.mode, want.mode));
  }
  if (want.uid != got.uid || want.gid != got.gid) {
    problems.push_back(
      fmt::format("{}: owner is {}:{}, the manifest says {}:{}", path, got.uid, got.gid, want.uid, want.gid));
  }
  if (want.mtime != got.mtime || want.mtime_nsec != got.mtime_nsec) {
    problems.push_back(fmt::format("{}: mtime differs from the manifest", path));
  }
  if (want.link != got.link) {
    problems.push_back(fmt::format("{}: link target is {:?}, the manifest says {:?}", path, got.link, want.link));
  }
}

}  // namespace

util::Result<compress::Codec> CodecSniffer::detect() {
  while (m_head.size() < 4) {
    std::byte buffer[4096];
    VOLBACK_TRY_ASSIGN(const auto n, m_next.read(buffer));
    if (n == 0) {
      break;
    }
    m_head.append(reinterpret_cast<const char*>(buffer), n);
  }
  if (m_head.size() >= 2 && static_cast<unsigned char>(m_head[0]) == 0x1f &&
      static_cast<unsigned char>(m_head[1]) == 0x8b) {
    return compress::Codec::gzip;
  }
  if (m_head.size() >= 4 && m_head.compare(0, 4, "\x28\xb5\x2f\xfd") == 0) {
    return compress::Codec::zstd;
  }
  return compress::Codec::none;
}

util::Result<std::size_t> CodecSniffer::read(std::span<std::byte> buf) {
  if (m_head_offset < m_head.size()) {
    const auto n = std::min(buf.size(), m_head.size() - m_head_offset);
    std::memcpy(buf.data(), m_head.data() + m_head_offset, n);
    m_head_offset += n;
    return n;
  }
  return m_next.read(buf);
}

std::string_view stream_name(compress::Codec codec) {
  switch (codec) {
  case compress::Codec::gzip: return "gzip";
  case compress::Codec::zstd: return "zstd";
  case compress::Codec::none: return "tar";
  }
  return "tar";
}

util::Result<VerifyReport> verify_archive(io::Source& raw, const util::CancelToken& cancel) {
  VerifyReport report;
  CodecSniffer sniffer(raw);
  VOLBACK_TRY_ASSIGN(report.codec, sniffer.detect());
  const auto decompressor = compress::make_decompressor(report.codec, sniffer);
  archive::TarReader reader(*decompressor);
  archive::Sha256 sha;

  // What the archive holds, by path: about 100 bytes plus the path per entry.
  std::unordered_map<std::string, archive::ManifestEntry> seen;
  std::vector<std::string> order;
  std::optional<std::string> manifest_text;
  std::string last_entry;
  std::string current;  // the entry whose data is being read
  std::optional<std::string> stream_problem;

  const auto fail_stream = [&](const util::Error& error) -> util::Result<void> {
    if (error.kind() != util::ErrorKind::corrupt) {
      return util::fail(error);
    }
    stream_problem = describe_stream_error(reader, report.codec, error, current, last_entry);
    return {};
  };

  for (;;) {
    VOLBACK_TRY(cancel.check());
    auto next = reader.next();
    if (!next) {
      VOLBACK_TRY(fail_stream(next.error()));
      break;
    }
    if (!*next) {
      break;
    }
    archive::TarEntry& entry = **next;
    const bool is_manifest = entry.path == archive::k_manifest_name && entry.type == "file";
    archive::ManifestEntry got{.path = entry.path, .type = entry.type, .size = entry.size, .mode = entry.mode,
                               .uid = entry.uid, .gid = entry.gid, .mtime = entry.mtime,
                               .mtime_nsec = entry.mtime_nsec, .link = entry.link, .sha256 = {}};
    bool stream_failed = false;
    if (entry.type == "file") {
      current = entry.path;
      std::string content;
      VOLBACK_TRY(sha.reset());
      std::uint64_t at = 0;
      for (;;) {
        auto block = reader.read_block();
        if (!block) {
          VOLBACK_TRY(fail_stream(block.error()));
          stream_failed = true;
          break;
        }
        if (!*block) {
          break;
        }
        const auto& [offset, data] = **block;
        if (is_manifest) {
          content.append(reinterpret_cast<const char*>(data.data()), data.size());
          continue;
        }
        if (offset > at) {
          VOLBACK_TRY(sha.update_zeros(offset - at));
        }
        VOLBACK_TRY(sha.update(data));
        at = offset + data.size();
      }
      if (stream_failed) {
        break;
      }
      current.clear();
      if (is_manifest) {
        manifest_text = std::move(content);
        last_entry = entry.path;
        continue;
      }
      if (at < entry.size) {
        VOLBACK_TRY(sha.update_zeros(entry.size - at));
      }
      VOLBACK_TRY_ASSIGN(got.sha256, sha.final_hex());
      report.bytes_hashed += entry.size;
    }
    last_entry = entry.path;
    ++report.entries;
    if (seen.emplace(got.path, got).second) {
      order.push_back(got.path);
    }
  }

  const auto& global = reader.global_records();
  const bool marked = global.contains(std::string(archive::k_manifest_key));
  if (const auto it = global.find(std::string(archive::k_version_key)); it != global.end()) {
    report.volback_version = it->second;
  }
  if (stream_problem) {
    report.problems.push_back(*stream_problem);
  }
  if (!marked && !manifest_text) {
    report.verdict = stream_problem ? Verdict::corrupt : Verdict::foreign;
    return report;
  }
  if (!manifest_text) {
    if (!stream_problem) {
      report.problems.push_back(fmt::format(
        "the archive is marked as volback's ({}={}) but has no {}: it was cut off or altered",
        archive::k_manifest_key, global.at(std::string(archive::k_manifest_key)), archive::k_manifest_name));
    }
    report.verdict = Verdict::corrupt;
    return report;
  }
  auto manifest = archive::parse_manifest(*manifest_text);
  if (!manifest) {
    report.problems.push_back(fmt::format("{}: {}", archive::k_manifest_name, manifest.error().message()));
    report.verdict = Verdict::corrupt;
    return report;
  }
  std::unordered_map<std::string, bool> listed;
  for (const auto& want : manifest->entries) {
    listed.emplace(want.path, true);
    const auto it = seen.find(want.path);
    if (it == seen.end()) {
      // After a stream error the rest of the archive was not read: missing is expected.
      if (!stream_problem) {
        report.problems.push_back(fmt::format("{}: missing from the archive", want.path));
      }
      continue;
    }
    if (want.type == "file") {
      ++report.files_hashed;
    }
    compare_entry(want, it->second, report.problems);
  }
  for (const auto& path : order) {
    if (!listed.contains(path)) {
      report.problems.push_back(fmt::format("{}: in the archive but not in the manifest", path));
    }
  }
  report.verdict = report.problems.empty() ? Verdict::intact : Verdict::corrupt;
  return report;
}

VerifyCommandResult run_verify_command(const util::Settings& settings, util::Logger& log, const util::Clock& clock,
                                       const util::CancelToken& cancel, const VerifyRequest& request) {
  VerifyCommandResult result;
  auto config = load_backup_config(settings);
  if (!config) {
    log.error(config.error().message());
    result.exit_code = ExitCode::usage;
    return result;
  }
  auto all = open_configured_backends(*config, log, clock, cancel);
  auto chosen = resolve_backup(all, request.backend, request.backup, config->retention.prefix, log);
  if (!chosen) {
    log.error(chosen.error().message());
    result.exit_code =
      chosen.error().kind() == util::ErrorKind::invalid_argument ? ExitCode::usage : ExitCode::failed;
    return result;
  }
  const std::string backend_name(chosen->backend->name());
  log.info("Verifying backup", {{"name", chosen->name}, {"backend", backend_name}});
  auto source = chosen->backend->open(chosen->name);
  if (!source) {
    log.error("Verification failed", {{"name", chosen->name}, {"error", source.error().message()}});
    result.exit_code = ExitCode::failed;
    return result;
  }
  auto report = verify_archive(**source, cancel);
  if (!report) {
    log.error("Verification failed: the backup could not be read",
              {{"name", chosen->name}, {"error", report.error().message()}});
    result.exit_code = ExitCode::failed;
    return result;
  }
  const std::string where = fmt::format("{} on {}", chosen->name, backend_name);
  switch (report->verdict) {
  case Verdict::intact:
    result.text = fmt::format("{}: intact ({} entries, {} files and {} bytes checked against the manifest)\n", where,
                              report->entries, report->files_hashed, report->bytes_hashed);
    break;
  case Verdict::foreign:
    log.warn("The archive has no volback manifest: only its readability was checked", {{"name", chosen->name}});
    result.text = fmt::format("{}: readable, no manifest ({} entries)\n", where, report->entries);
    break;
  case Verdict::corrupt:
    result.text = fmt::format("{}: CORRUPT ({} problems)\n", where, report->problems.size());
    for (const auto& problem : report->problems) {
      result.text += fmt::format("  {}\n", problem);
    }
    log.error("The backup is corrupt", {{"name", chosen->name}, {"problems", std::to_string(report->problems.size())}});
    result.exit_code = ExitCode::failed;
    break;
  }
  return result;
}

}  // namespace volback::app
