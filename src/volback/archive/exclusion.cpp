#include <volback/archive/exclusion.hpp>

#include <re2/re2.h>

namespace volback::archive {

Exclusion::Exclusion(std::string pattern, std::unique_ptr<re2::RE2> re)
  : m_pattern(std::move(pattern)), m_re(std::move(re)) {}

Exclusion::Exclusion(Exclusion&&) noexcept = default;
Exclusion& Exclusion::operator=(Exclusion&&) noexcept = default;
Exclusion::~Exclusion() = default;

util::Result<Exclusion> Exclusion::compile(std::string_view pattern) {
  RE2::Options options;
  // RE2 would otherwise print compile errors to stderr; they are returned instead.
  options.set_log_errors(false);
  // Go's regexp: UTF-8, leftmost-first (not leftmost-longest), '.' does not match '\n'.
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_longest_match(false);
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return util::fail(util::ErrorKind::invalid_argument, re->error());
  }
  return Exclusion(std::string(pattern), std::move(re));
}

bool Exclusion::matches(std::string_view absolute_path) const {
  return RE2::PartialMatch(re2::StringPiece(absolute_path.data(), absolute_path.size()), *m_re);
}

}  // namespace volback::archive
