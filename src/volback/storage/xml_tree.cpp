#include <volback/storage/xml_tree.hpp>

#include <expat.h>

#include <limits>

#include <fmt/format.h>

namespace volback::storage {

namespace {

std::string_view local_name(const char* name) {
  std::string_view n(name);
  const auto sep = n.rfind('|');  // expat's namespace separator below
  return sep == std::string_view::npos ? n : n.substr(sep + 1);
}

constexpr int k_max_depth = 32;

struct Builder {
  XML_Parser parser = nullptr;
  XmlNode root;
  XmlNode* current = &root;
  int depth = 0;
  bool too_deep = false;
};

void on_start(void* user, const XML_Char* name, const XML_Char**) {
  auto& b = *static_cast<Builder*>(user);
  if (++b.depth > k_max_depth) {
    b.too_deep = true;
    XML_StopParser(b.parser, XML_FALSE);
    return;
  }
  auto node = std::make_unique<XmlNode>();
  node->name = std::string(local_name(name));
  node->parent = b.current;
  XmlNode* raw = node.get();
  b.current->children.push_back(std::move(node));
  b.current = raw;
}

void on_end(void* user, const XML_Char*) {
  auto& b = *static_cast<Builder*>(user);
  --b.depth;
  if (b.current->parent != nullptr) {
    b.current = b.current->parent;
  }
}

void on_text(void* user, const XML_Char* s, int len) {
  auto& b = *static_cast<Builder*>(user);
  b.current->text.append(s, static_cast<std::size_t>(len));
}

struct ParserDeleter {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

}  // namespace

const XmlNode* XmlNode::child(std::string_view n) const {
  for (const auto& c : children) {
    if (c->name == n) {
      return c.get();
    }
  }
  return nullptr;
}

std::string XmlNode::child_text(std::string_view n) const {
  const XmlNode* c = child(n);
  return c != nullptr ? c->text : std::string();
}

util::Result<std::unique_ptr<XmlNode>> parse_xml(std::string_view xml, std::string_view source) {
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreateNS(nullptr, '|'));
  if (!parser) {
    return util::fail(util::ErrorKind::permanent, "cannot create an XML parser");
  }
  Builder b;
  b.parser = parser.get();
  XML_SetUserData(parser.get(), &b);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  if (xml.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("XML answer from {} is too large", source));
  }
  const auto status = XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), 1);
  if (b.too_deep) {
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("malformed XML from {}: elements nested deeper than {}", source, k_max_depth));
  }
  if (status == XML_STATUS_ERROR) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("malformed XML from {}: {} at line {}", source,
                                                            XML_ErrorString(XML_GetErrorCode(parser.get())),
                                                            XML_GetCurrentLineNumber(parser.get())));
  }
  if (b.root.children.empty()) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("empty XML document from {}", source));
  }
  return std::move(b.root.children.front());
}

}  // namespace volback::storage
