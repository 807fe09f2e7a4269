#include <volback/restic/tree.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/util/base64.hpp>
#include <volback/util/go_quote.hpp>
#include <volback/util/json_depth.hpp>

namespace volback::restic {

namespace {

constexpr std::size_t k_tree_max_depth = 32;
constexpr std::size_t k_tree_max_shown = 64;

using TreeJson = nlohmann::json;

void tree_append_key(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;
  out += "\":";
}

void tree_append_unsigned(std::string& out, std::string_view key, std::uint64_t value) {
  tree_append_key(out, key);
  fmt::format_to(std::back_inserter(out), "{}", value);
}

void tree_append_time(std::string& out, std::string_view key, const GoTime& time) {
  tree_append_key(out, key);
  out += '"';
  append_rfc3339_nano(out, time);
  out += '"';
}

void tree_append_string(std::string& out, std::string_view key, std::string_view value) {
  tree_append_key(out, key);
  append_go_json_string(out, value);
}

void tree_append_id(std::string& out, const Id& id) {
  out += '"';
  out += id.hex();
  out += '"';
}

// One node as Go's json.Marshal writes restic 0.14's Node, its name through strconv.Quote.
void tree_append_node(std::string& out, const Node& node) {
  std::string quoted_name = util::go_quote(node.name);
  out += "{\"name\":";
  append_go_json_string(out, std::string_view(quoted_name).substr(1, quoted_name.size() - 2));
  tree_append_key(out, "type");
  out += '"';
  out += to_string(node.type);
  out += '"';
  if (node.mode != 0) {
    tree_append_unsigned(out, "mode", node.mode);
  }
  tree_append_time(out, "mtime", node.mtime);
  tree_append_time(out, "atime", node.atime);
  tree_append_time(out, "ctime", node.ctime);
  tree_append_unsigned(out, "uid", node.uid);
  tree_append_unsigned(out, "gid", node.gid);
  const auto append_if_set = [&out](std::string_view key, const auto& value) {
    if (!value.empty()) {
      tree_append_string(out, key, value);
    }
  };
  const auto append_if_nonzero = [&out](std::string_view key, std::uint64_t value) {
    if (value != 0) {
      tree_append_unsigned(out, key, value);
    }
  };
  append_if_set("user", node.user);
  append_if_set("group", node.group);
  append_if_nonzero("inode", node.inode);
  append_if_nonzero("device_id", node.device_id);
  append_if_nonzero("size", node.size);
  append_if_nonzero("links", node.links);
  append_if_set("linktarget", node.linktarget);
  if (!node.extended_attributes.empty()) {
    tree_append_key(out, "extended_attributes");
    out += '[';
    for (std::size_t i = 0; i < node.extended_attributes.size(); ++i) {
      const ExtendedAttribute& attribute = node.extended_attributes[i];
      out += i == 0 ? "{\"name\":" : ",{\"name\":";
      append_go_json_string(out, attribute.name);
      out += ",\"value\":\"";
      out += util::base64_encode(attribute.value);
      out += "\"}";
    }
    out += ']';
  }
  append_if_nonzero("device", node.device);
  tree_append_key(out, "content");
  if (!node.content) {
    out += "null";
  } else {
    out += '[';
    for (std::size_t i = 0; i < node.content->size(); ++i) {
      if (i != 0) {
        out += ',';
      }
      tree_append_id(out, (*node.content)[i]);
    }
    out += ']';
  }
  if (node.subtree) {
    tree_append_key(out, "subtree");
    tree_append_id(out, *node.subtree);
  }
  append_if_set("error", node.error);
  out += '}';
}

std::string tree_shown_name(std::string_view name) {
  std::string shown = util::go_quote(name.substr(0, k_tree_max_shown));
  if (name.size() > k_tree_max_shown) {
    shown += "...";
  }
  return shown;
}

tl::unexpected<util::Error> tree_corrupt(std::string message) {
  return util::fail(util::ErrorKind::corrupt, std::move(message));
}

util::Result<std::uint64_t> tree_read_unsigned(const TreeJson& value, std::string_view key, std::uint64_t max) {
  if (value.is_null()) {
    return 0;
  }
  if (!value.is_number_unsigned()) {
    return tree_corrupt(fmt::format("\"{}\" is not an unsigned integer", key));
  }
  const auto number = value.get<std::uint64_t>();
  if (number > max) {
    return tree_corrupt(fmt::format("\"{}\" is out of range ({})", key, number));
  }
  return number;
}

util::Result<std::uint32_t> tree_read_u32(const TreeJson& value, std::string_view key) {
  VOLBACK_TRY_ASSIGN(const std::uint64_t number,
                     tree_read_unsigned(value, key, std::numeric_limits<std::uint32_t>::max()));
  return static_cast<std::uint32_t>(number);
}

util::Result<std::string> tree_read_string(const TreeJson& value, std::string_view key) {
  if (value.is_null()) {
    return std::string();
  }
  if (!value.is_string()) {
    return tree_corrupt(fmt::format("\"{}\" is not a string", key));
  }
  return value.get<std::string>();
}

util::Result<GoTime> tree_read_time(const TreeJson& value, std::string_view key) {
  if (value.is_null()) {
    return GoTime{};
  }
  if (!value.is_string()) {
    return tree_corrupt(fmt::format("\"{}\" is not a string", key));
  }
  auto time = parse_rfc3339(value.get_ref<const std::string&>());
  if (!time) {
    return util::fail(time.error().with_context(fmt::format("\"{}\"", key)));
  }
  return *time;
}

util::Result<Id> tree_read_id(const TreeJson& value, std::string_view key) {
  if (!value.is_string()) {
    return tree_corrupt(fmt::format("\"{}\" has an id that is not a string", key));
  }
  const auto& hex = value.get_ref<const std::string&>();
  auto id = Id::parse(hex);
  if (!id) {
    return tree_corrupt(fmt::format("\"{}\" has an invalid id {}", key, tree_shown_name(hex)));
  }
  return *id;
}

util::Result<NodeType> tree_read_type(const TreeJson& value) {
  VOLBACK_TRY_ASSIGN(const std::string name, tree_read_string(value, "type"));
  for (const NodeType type : {NodeType::file, NodeType::dir, NodeType::symlink, NodeType::block_device,
                              NodeType::char_device, NodeType::fifo, NodeType::socket}) {
    if (name == to_string(type)) {
      return type;
    }
  }
  return tree_corrupt(fmt::format("unknown type {}", tree_shown_name(name)));
}

util::Result<std::string> tree_read_name(const TreeJson& value) {
  VOLBACK_TRY_ASSIGN(const std::string stored, tree_read_string(value, "name"));
  auto name = util::go_unquote("\"" + stored + "\"");
  if (!name) {
    return util::fail(name.error().with_context("\"name\""));
  }
  if (name->empty()) {
    return tree_corrupt("empty name");
  }
  if (*name == "." || *name == ".." || name->find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
    return tree_corrupt(fmt::format("name {} is not a file name", tree_shown_name(*name)));
  }
  return name;
}

util::Result<std::vector<ExtendedAttribute>> tree_read_extended_attributes(const TreeJson& value) {
  std::vector<ExtendedAttribute> attributes;
  if (value.is_null()) {
    return attributes;
  }
  if (!value.is_array()) {
    return tree_corrupt("\"extended_attributes\" is not an array");
  }
  attributes.reserve(value.size());
  for (const TreeJson& item : value) {
    if (!item.is_object()) {
      return tree_corrupt("\"extended_attributes\" has an item that is not an object");
    }
    ExtendedAttribute attribute;
    for (const auto& [key, field] : item.items()) {
      if (key == "name") {
        VOLBACK_TRY_ASSIGN(attribute.name, tree_read_string(field, "extended_attributes.name"));
      } else if (key == "value") {
        VOLBACK_TRY_ASSIGN(const std::string encoded, tree_read_string(field, "extended_attributes.value"));
        auto decoded = util::base64_decode(encoded, util::Padding::yes);
        if (!decoded) {
          return tree_corrupt("\"extended_attributes.value\" is not base64");
        }
        attribute.value = std::move(*decoded);
      }
    }
    attributes.push_back(std::move(attribute));
  }
  return attributes;
}

util::Result<std::optional<std::vector<Id>>> tree_read_content(const TreeJson& value) {
  if (value.is_null()) {
    return std::nullopt;
  }
  if (!value.is_array()) {
    return tree_corrupt("\"content\" is not an array");
  }
  std::vector<Id> ids;
  ids.reserve(value.size());
  for (const TreeJson& item : value) {
    VOLBACK_TRY_ASSIGN(const Id id, tree_read_id(item, "content"));
    ids.push_back(id);
  }
  return ids;
}

util::Result<void> tree_read_field(Node& node, const std::string& key, const TreeJson& value) {
  constexpr std::uint64_t k_u64 = std::numeric_limits<std::uint64_t>::max();
  if (key == "name") {
    VOLBACK_TRY_ASSIGN(node.name, tree_read_name(value));
  } else if (key == "type") {
    VOLBACK_TRY_ASSIGN(node.type, tree_read_type(value));
  } else if (key == "mode") {
    VOLBACK_TRY_ASSIGN(node.mode, tree_read_u32(value, key));
  } else if (key == "mtime") {
    VOLBACK_TRY_ASSIGN(node.mtime, tree_read_time(value, key));
  } else if (key == "atime") {
    VOLBACK_TRY_ASSIGN(node.atime, tree_read_time(value, key));
  } else if (key == "ctime") {
    VOLBACK_TRY_ASSIGN(node.ctime, tree_read_time(value, key));
  } else if (key == "uid") {
    VOLBACK_TRY_ASSIGN(node.uid, tree_read_u32(value, key));
  } else if (key == "gid") {
    VOLBACK_TRY_ASSIGN(node.gid, tree_read_u32(value, key));
  } else if (key == "user") {
    VOLBACK_TRY_ASSIGN(node.user, tree_read_string(value, key));
  } else if (key == "group") {
    VOLBACK_TRY_ASSIGN(node.group, tree_read_string(value, key));
  } else if (key == "inode") {
    VOLBACK_TRY_ASSIGN(node.inode, tree_read_unsigned(value, key, k_u64));
  } else if (key == "device_id") {
    VOLBACK_TRY_ASSIGN(node.device_id, tree_read_unsigned(value, key, k_u64));
  } else if (key == "size") {
    VOLBACK_TRY_ASSIGN(node.size, tree_read_unsigned(value, key, k_u64));
  } else if (key == "links") {
    VOLBACK_TRY_ASSIGN(node.links, tree_read_unsigned(value, key, k_u64));
  } else if (key == "linktarget") {
    VOLBACK_TRY_ASSIGN(node.linktarget, tree_read_string(value, key));
  } else if (key == "extended_attributes") {
    VOLBACK_TRY_ASSIGN(node.extended_attributes, tree_read_extended_attributes(value));
  } else if (key == "device") {
    VOLBACK_TRY_ASSIGN(node.device, tree_read_unsigned(value, key, k_u64));
  } else if (key == "content") {
    VOLBACK_TRY_ASSIGN(node.content, tree_read_content(value));
  } else if (key == "subtree") {
    if (value.is_null()) {
      node.subtree.reset();
    } else {
      VOLBACK_TRY_ASSIGN(node.subtree, tree_read_id(value, key));
    }
  } else if (key == "error") {
    VOLBACK_TRY_ASSIGN(node.error, tree_read_string(value, key));
  }
  // Anything else (linktarget_raw, generic_attributes, ...) is ignored, as restic 0.14 does.
  return {};
}

util::Result<Node> tree_read_node(const TreeJson& value) {
  if (!value.is_object()) {
    return tree_corrupt("not an object");
  }
  Node node;
  bool has_type = false;
  for (const auto& [key, field] : value.items()) {
    VOLBACK_TRY(tree_read_field(node, key, field));
    has_type = has_type || (key == "type");
  }
  if (node.name.empty()) {
    return tree_corrupt("empty name");
  }
  if (!has_type) {
    return tree_corrupt(fmt::format("{} has no type", tree_shown_name(node.name)));
  }
  if (node.type == NodeType::file && !node.content) {
    return tree_corrupt(fmt::format("file {} has no content list", tree_shown_name(node.name)));
  }
  if (node.type == NodeType::dir && !node.subtree) {
    return tree_corrupt(fmt::format("dir {} has no subtree", tree_shown_name(node.name)));
  }
  return node;
}

}  // namespace

std::string_view to_string(NodeType type) {
  switch (type) {
  case NodeType::file: return "file";
  case NodeType::dir: return "dir";
  case NodeType::symlink: return "symlink";
  case NodeType::block_device: return "dev";
  case NodeType::char_device: return "chardev";
  case NodeType::fifo: return "fifo";
  case NodeType::socket: return "socket";
  }
  return "file";
}

std::string serialize_tree(std::span<const Node> nodes) {
  std::vector<const Node*> sorted;
  sorted.reserve(nodes.size());
  for (const Node& node : nodes) {
    sorted.push_back(&node);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const Node* a, const Node* b) { return a->name < b->name; });
  const auto duplicate =
    std::adjacent_find(sorted.begin(), sorted.end(), [](const Node* a, const Node* b) { return a->name == b->name; });
  if (duplicate != sorted.end()) {
    throw std::invalid_argument("serialize_tree: duplicate name " + tree_shown_name((*duplicate)->name));
  }
  std::string out = "{\"nodes\":[";
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i != 0) {
      out += ',';
    }
    tree_append_node(out, *sorted[i]);
  }
  out += "]}\n";
  return out;
}

util::Result<std::vector<Node>> parse_tree(std::string_view json) {
  if (util::json_nests_deeper_than(json, k_tree_max_depth)) {
    return tree_corrupt(fmt::format("tree nests deeper than {}", k_tree_max_depth));
  }
  TreeJson document;
  try {
    document = TreeJson::parse(json.begin(), json.end());
  } catch (const TreeJson::exception& e) {
    std::string what = e.what();
    if (what.size() > 200) {
      what.resize(200);
      what += "...";
    }
    return tree_corrupt(fmt::format("tree is not JSON: {}", what));
  }
  if (!document.is_object()) {
    return tree_corrupt("tree is not a JSON object");
  }
  const auto found = document.find("nodes");
  if (found == document.end()) {
    return tree_corrupt("tree has no \"nodes\"");
  }
  std::vector<Node> nodes;
  if (found->is_null()) {
    return nodes;
  }
  if (!found->is_array()) {
    return tree_corrupt("tree's \"nodes\" is not an array");
  }
  nodes.reserve(found->size());
  for (const TreeJson& item : *found) {
    auto node = tree_read_node(item);
    if (!node) {
      return util::fail(node.error().with_context(fmt::format("tree node {}", nodes.size())));
    }
    if (!nodes.empty() && !(nodes.back().name < node->name)) {
      return tree_corrupt(fmt::format("tree node {}: name {} is not after {}", nodes.size(),
                                      tree_shown_name(node->name), tree_shown_name(nodes.back().name)));
    }
    nodes.push_back(std::move(*node));
  }
  return nodes;
}

}  // namespace volback::restic
