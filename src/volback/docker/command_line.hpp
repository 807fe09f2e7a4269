#pragma once
// Splits an exec-label command into arguments the way offen does (the cosiner/argv
// tokenizer), without a shell: whitespace separates words; '...' keeps everything
// literally; "..." keeps everything except that a backslash escapes the next character;
// outside quotes a backslash escapes the next character; adjacent pieces join into one
// word ("a"'b'c is abc). A '|' outside quotes ends the command: like offen, only the
// first segment of a pipeline runs. Backquotes are refused (offen would run them as
// a command substitution on the host side; volback never does). Users write
// `/bin/sh -c '...'` for anything a shell should do. Pure.

#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::docker {

// invalid_argument for an unterminated quote, a trailing backslash, a backquote or an
// empty command.
util::Result<std::vector<std::string>> split_command(std::string_view line);

}  // namespace volback::docker
