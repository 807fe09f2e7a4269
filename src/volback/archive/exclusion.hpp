#pragma once
// BACKUP_EXCLUDE_REGEXP: a Go regular expression matched against the absolute path of
// every walked entry.
//
// Patterns use RE2 syntax, which is the syntax of Go's regexp package, and match like
// Go's Regexp.MatchString: an unanchored search anywhere in the path ("\.log$" excludes
// every path ending in ".log"). RE2 never logs; compile errors come back as values.

#include <memory>
#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace re2 {
class RE2;
}

namespace volback::archive {

class Exclusion {
 public:
  // Compiles `pattern`. Errors: invalid_argument carrying RE2's message (e.g. "missing
  // ): (a"). An empty pattern compiles and matches every path; callers that treat an
  // empty setting as "no exclusion" must not compile it.
  static util::Result<Exclusion> compile(std::string_view pattern);

  Exclusion(Exclusion&&) noexcept;
  Exclusion& operator=(Exclusion&&) noexcept;
  Exclusion(const Exclusion&) = delete;
  Exclusion& operator=(const Exclusion&) = delete;
  ~Exclusion();

  // Whether the pattern occurs anywhere in `absolute_path` (raw bytes, which need not be
  // UTF-8). Thread-safe: RE2 objects may be shared between threads.
  bool matches(std::string_view absolute_path) const;

  const std::string& pattern() const { return m_pattern; }

 private:
  Exclusion(std::string pattern, std::unique_ptr<re2::RE2> re);

  std::string m_pattern;
  std::unique_ptr<re2::RE2> m_re;  // never null in a live object
};

}  // namespace volback::archive
