#include <volback/cli/offen_args.hpp>

#include <fmt/format.h>

namespace volback::cli {

namespace {

// Strips one or two leading dashes: Go's flag package treats both alike.
std::string_view flag_name(std::string_view arg) {
  if (arg.starts_with("--")) {
    return arg.substr(2);
  }
  if (arg.starts_with('-')) {
    return arg.substr(1);
  }
  return {};
}

}  // namespace

util::Result<OffenInvocation> parse_offen_args(std::span<const std::string_view> args) {
  OffenInvocation out;
  bool foreground = false;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const std::string_view flag = flag_name(arg);
    if (flag.empty() || arg == "-" || arg == "--") {
      break;  // the first non-flag ends the flags, as in Go
    }
    if (flag == "foreground" || flag == "foreground=true") {
      foreground = true;
    } else if (flag == "foreground=false") {
      foreground = false;
    } else if (flag == "profile" || flag.starts_with("profile=")) {
      if (flag == "profile") {
        if (i + 1 >= args.size()) {
          return util::fail(util::ErrorKind::invalid_argument, "flag needs an argument: -profile");
        }
        ++i;
      }
      out.warnings.emplace_back("-profile is accepted for compatibility and ignored");
    } else if (flag == "h" || flag == "help") {
      out.command = OffenCommand::help;
      return out;
    } else {
      return util::fail(util::ErrorKind::invalid_argument, fmt::format("flag provided but not defined: {}", arg));
    }
  }
  if (i < args.size() && args[i] == "--") {
    ++i;
  }
  const auto rest = args.subspan(i);
  if (rest.empty()) {
    out.command = foreground ? OffenCommand::daemon : OffenCommand::backup;
    return out;
  }
  if (rest.size() == 1 && rest[0] == "print-config") {
    out.command = OffenCommand::print_config;
    return out;
  }
  return util::fail(util::ErrorKind::invalid_argument,
                    fmt::format("unknown command \"{}\"; `backup` takes no command or print-config", rest[0]));
}

std::string_view offen_usage() {
  return "Usage: backup [-foreground] [-profile <cron>] [print-config]\n"
         "\n"
         "volback, invoked under offen/docker-volume-backup's name:\n"
         "  backup               run one backup, configured by the environment\n"
         "  backup print-config  print the configuration (secrets shown as ***)\n"
         "  backup -foreground   run the scheduler\n"
         "\n"
         "Run `volback --help` for every command.\n";
}

}  // namespace volback::cli
