#pragma once
// A small element tree of a server's XML answer (S3's and Azure's listings and errors,
// WebDAV's multistatus), parsed with expat. Pure.
//
// Answers are small (a listing page is at most a few thousand entries). Element names
// are kept without their namespace; the text of an element is the concatenation of its
// character data. Elements nested deeper than 32 levels are refused, so a hostile body
// cannot build a tree whose recursive destruction overflows the stack.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::storage {

struct XmlNode {
  std::string name;  // local name, without the namespace
  std::string text;
  std::vector<std::unique_ptr<XmlNode>> children;
  XmlNode* parent = nullptr;

  // The first child of that name, or nullptr.
  const XmlNode* child(std::string_view n) const;
  // The text of the first child of that name, or "".
  std::string child_text(std::string_view n) const;
};

// Parses `xml` and returns its document element. `source` names the sender in messages
// ("the S3 server"). Errors: corrupt (malformed, empty or too deeply nested XML),
// permanent (no parser).
util::Result<std::unique_ptr<XmlNode>> parse_xml(std::string_view xml, std::string_view source);

}  // namespace volback::storage
