#include <volback/restic/tree.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <volback/restic/file_mode.hpp>

namespace volback::restic {
namespace {

const std::filesystem::path k_trees = std::filesystem::path(VOLBACK_RESTIC_TESTDATA) / "trees";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Id id_of_hex(std::string_view hex) {
  return Id::parse(hex).value();
}

// The node of §8.2's observed restic output (hardlink.txt).
Node observed_file_node() {
  Node node;
  node.name = "hardlink.txt";
  node.type = NodeType::file;
  node.mode = 420;
  node.mtime = parse_rfc3339("2026-11-26T08:36:00.168844112Z").value();
  node.atime = node.mtime;
  node.ctime = parse_rfc3339("2026-11-26T08:36:01.053862427Z").value();
  node.user = "root";
  node.group = "root";
  node.inode = 10969298;
  node.device_id = 65024;
  node.size = 13;
  node.links = 2;
  node.extended_attributes = {{"user.test", "hello"}};
  node.content = std::vector<Id>{id_of_hex("fbbd69198637d5360353c39796181175de6311c2a61abe2fe6392c938018660f")};
  return node;
}

const std::string k_observed_file_json =
  R"({"name":"hardlink.txt","type":"file","mode":420,"mtime":"2026-11-26T08:36:00.168844112Z",)"
  R"("atime":"2026-11-26T08:36:00.168844112Z","ctime":"2026-11-26T08:36:01.053862427Z","uid":0,"gid":0,)"
  R"("user":"root","group":"root","inode":10969298,"device_id":65024,"size":13,"links":2,)"
  R"("extended_attributes":[{"name":"user.test","value":"aGVsbG8="}],)"
  R"("content":["fbbd69198637d5360353c39796181175de6311c2a61abe2fe6392c938018660f"]})";

std::string tree_of(std::string_view node_json) {
  return "{\"nodes\":[" + std::string(node_json) + "]}\n";
}

// A minimal valid file node with `name` as stored (already quoted and JSON-escaped).
std::string file_node_json(std::string_view stored_name, std::string_view extra = "") {
  return R"({"name":")" + std::string(stored_name) + R"(","type":"file","mtime":"2026-01-01T00:00:00Z",)" +
         R"("atime":"2026-01-01T00:00:00Z","ctime":"2026-01-01T00:00:00Z","uid":0,"gid":0,"content":[])" +
         std::string(extra) + "}";
}

TEST(ResticTree, WritesTheObservedFileNode) {
  const std::vector<Node> nodes{observed_file_node()};
  EXPECT_EQ(serialize_tree(nodes), tree_of(k_observed_file_json));
  EXPECT_EQ(parse_tree(tree_of(k_observed_file_json)).value(), nodes);
}

TEST(ResticTree, WritesTheEmptyTree) {
  const std::string empty = serialize_tree({});
  EXPECT_EQ(empty, "{\"nodes\":[]}\n");
  EXPECT_EQ(Id::of(empty).hex(), "ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8");
  EXPECT_TRUE(parse_tree(empty).value().empty());
}

TEST(ResticTree, WritesDirNodesWithNullContentAndSubtree) {
  Node dir;
  dir.name = "empty_dir";
  dir.type = NodeType::dir;
  dir.mode = go_file_mode_from_posix(040755);
  dir.mtime = dir.atime = dir.ctime = GoTime{1796211201, 341190540, 0};
  dir.user = dir.group = "root";
  dir.inode = 10960990;
  dir.device_id = 65024;
  dir.subtree = id_of_hex("ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8");
  const std::vector<Node> nodes{dir};
  const std::string expected =
    tree_of(R"({"name":"empty_dir","type":"dir","mode":2147484141,"mtime":"2026-12-02T11:33:21.34119054Z",)"
            R"("atime":"2026-12-02T11:33:21.34119054Z","ctime":"2026-12-02T11:33:21.34119054Z","uid":0,"gid":0,)"
            R"("user":"root","group":"root","inode":10960990,"device_id":65024,"content":null,)"
            R"("subtree":"ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8"})");
  EXPECT_EQ(serialize_tree(nodes), expected);
  EXPECT_EQ(parse_tree(expected).value(), nodes);
}

TEST(ResticTree, OmitsEmptyFieldsButNotUidGidTimesAndContent) {
  Node fifo;
  fifo.name = "f";
  fifo.type = NodeType::fifo;
  const std::vector<Node> nodes{fifo};
  const std::string expected =
    tree_of(R"({"name":"f","type":"fifo","mtime":"0001-01-01T00:00:00Z","atime":"0001-01-01T00:00:00Z",)"
            R"("ctime":"0001-01-01T00:00:00Z","uid":0,"gid":0,"content":null})");
  EXPECT_EQ(serialize_tree(nodes), expected);
  EXPECT_EQ(parse_tree(expected).value(), nodes);

  Node file;
  file.name = "e";
  file.content = std::vector<Id>{};
  file.error = "x";
  EXPECT_EQ(serialize_tree(std::vector<Node>{file}),
            tree_of(R"({"name":"e","type":"file","mtime":"0001-01-01T00:00:00Z","atime":"0001-01-01T00:00:00Z",)"
                    R"("ctime":"0001-01-01T00:00:00Z","uid":0,"gid":0,"content":[],"error":"x"})"));
}

TEST(ResticTree, QuotesNamesAsRestic) {
  // The raw name and how restic 0.14 writes it.
  const std::vector<std::pair<std::string, std::string>> cases = {
    {"bad\xffname", R"("bad\\xffname")"},
    {"tab\tname", R"("tab\\tname")"},
    {"a\\b", R"("a\\\\b")"},
    {"ctl\x01x", R"("ctl\\x01x")"},
    {"nb\u00a0sp", R"("nb\\u00a0sp")"},
    {"😀", R"("😀")"},
    {"q\"uote", R"("q\\\"uote")"},
    {"<&>", R"("\u003c\u0026\u003e")"},
    {"ls\u2028ep", R"("ls\\u2028ep")"},
    {"ä\x7f", R"("ä\\x7f")"},
  };
  for (const auto& [name, stored] : cases) {
    Node node;
    node.name = name;
    node.type = NodeType::symlink;
    const std::string json = serialize_tree(std::vector<Node>{node});
    EXPECT_EQ(json.substr(0, 18 + stored.size()), "{\"nodes\":[{\"name\":" + stored) << stored;
    const auto parsed = parse_tree(json);
    ASSERT_TRUE(parsed) << parsed.error().message();
    EXPECT_EQ(parsed->at(0).name, name);
  }
}

TEST(ResticTree, EscapesOtherStringsAsGoJson) {
  Node node;
  node.name = "l";
  node.type = NodeType::symlink;
  node.user = "we&ird <a>";
  node.group = "g\xff";
  node.linktarget = "target<&>\u2028\xff";
  node.extended_attributes = {{"user.<&>", std::string("\0\xff\x80", 3)}, {"user.empty", ""}};
  const std::string json = serialize_tree(std::vector<Node>{node});
  EXPECT_NE(json.find(R"("user":"we\u0026ird \u003ca\u003e","group":"g\ufffd")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("linktarget":"target\u003c\u0026\u003e\u2028\ufffd")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("extended_attributes":[{"name":"user.\u003c\u0026\u003e","value":"AP+A"},)"
                      R"({"name":"user.empty","value":""}])"),
            std::string::npos)
    << json;
  const auto parsed = parse_tree(json).value();
  EXPECT_EQ(parsed.at(0).user, node.user);
  EXPECT_EQ(parsed.at(0).group, "g\uFFFD");  // lossy, as in restic 0.14
  EXPECT_EQ(parsed.at(0).extended_attributes, node.extended_attributes);
}

TEST(ResticTree, SortsNodesByRawNameAndRefusesDuplicates) {
  std::vector<Node> nodes(3);
  nodes[0].name = "b";
  nodes[1].name = "\xff";
  nodes[2].name = "B";
  for (Node& node : nodes) {
    node.type = NodeType::fifo;
  }
  const auto parsed = parse_tree(serialize_tree(nodes)).value();
  ASSERT_EQ(parsed.size(), 3U);
  EXPECT_EQ(parsed[0].name, "B");
  EXPECT_EQ(parsed[1].name, "b");
  EXPECT_EQ(parsed[2].name, "\xff");
  nodes[2].name = "b";
  EXPECT_THROW(serialize_tree(nodes), std::invalid_argument);
}

// Every tree blob restic 0.14 wrote in testdata/trees/ (README.md there).
TEST(ResticTree, ReadsAndRewritesResticTreesByteForByte) {
  std::size_t trees = 0;
  std::size_t identical = 0;
  for (const auto& entry : std::filesystem::directory_iterator(k_trees)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    ++trees;
    const std::string blob = read_file(entry.path());
    EXPECT_EQ(Id::of(blob).hex(), entry.path().stem().string());
    const auto nodes = parse_tree(blob);
    ASSERT_TRUE(nodes) << entry.path() << ": " << nodes.error().message();
    // The one change: restic wrote the invalid byte of a symlink target as \ufffd, which
    // reads back as a valid U+FFFD, and Go (as serialize_tree) writes that raw.
    std::string expected = blob;
    for (std::size_t at = 0; (at = expected.find("\\ufffd", at)) != std::string::npos;) {
      expected.replace(at, 6, "\uFFFD");
    }
    identical += expected == blob ? 1 : 0;
    const std::string rewritten = serialize_tree(*nodes);
    EXPECT_EQ(rewritten, expected) << entry.path();
    EXPECT_EQ(parse_tree(rewritten).value(), *nodes) << entry.path();
  }
  EXPECT_EQ(trees, 12U);
  EXPECT_EQ(identical, 10U);
}

TEST(ResticTree, ReadsWhatResticStoredForEachKindOfFile) {
  const auto nodes =
    parse_tree(read_file(k_trees / "38f5861363beb5bc7a8ef9324379c01b6d7703710e6273ee0ea6722a7765f9bc.json"));
  ASSERT_TRUE(nodes) << nodes.error().message();
  std::map<std::string, Node> by_name;
  for (const Node& node : *nodes) {
    by_name[node.name] = node;
  }
  for (const char* name :
       {"<&>", "a\\b", "bad\xffname", "ctl\x01x", "nb\u00a0sp", "q\"uote", "tab\tname", "😀", "ls\u2028ep"}) {
    EXPECT_EQ(by_name.count(name), 1U) << name;
  }
  EXPECT_EQ(by_name.count("sock"), 0U);  // restic 0.14 skips sockets

  const Node& regular = by_name.at("regular.txt");
  EXPECT_EQ(regular.type, NodeType::file);
  EXPECT_EQ(regular.mode, go_file_mode_from_posix(0104755));
  EXPECT_EQ(regular.size, 12U);
  EXPECT_EQ(regular.links, 2U);
  EXPECT_EQ(regular.inode, by_name.at("hardlink.txt").inode);
  EXPECT_EQ(regular.extended_attributes,
            (std::vector<ExtendedAttribute>{{"user.test", "hello"}, {"user.<&>", std::string("\0\xff\x80", 3)}}));
  ASSERT_TRUE(regular.content);
  EXPECT_EQ(regular.content->size(), 1U);

  const Node& empty = by_name.at("empty.txt");
  ASSERT_TRUE(empty.content);
  EXPECT_TRUE(empty.content->empty());
  EXPECT_EQ(empty.size, 0U);
  EXPECT_EQ(format_rfc3339_nano(empty.mtime), "2001-02-03T04:05:06.5Z");

  EXPECT_EQ(by_name.at("big.bin").content->size(), 3U);
  EXPECT_EQ(by_name.at("empty_dir").mode, go_file_mode_from_posix(041777));
  EXPECT_EQ(by_name.at("empty_dir").subtree->hex(), "ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8");
  EXPECT_FALSE(by_name.at("empty_dir").content);
  EXPECT_EQ(by_name.at("sub").mode, go_file_mode_from_posix(042750));
  EXPECT_EQ(by_name.at("link").type, NodeType::symlink);
  EXPECT_EQ(by_name.at("link").linktarget, "regular.txt");
  EXPECT_EQ(by_name.at("link").mtime, (GoTime{946684799, 0, 0}));
  EXPECT_EQ(by_name.at("oddlink").linktarget, "target<&>\u2028\uFFFD");
  EXPECT_EQ(by_name.at("fifo").mode, go_file_mode_from_posix(010644));
  EXPECT_EQ(by_name.at("blk").type, NodeType::block_device);
  EXPECT_EQ(by_name.at("blk").device, (7U << 8) | 200U);
  EXPECT_EQ(by_name.at("chr").type, NodeType::char_device);
  EXPECT_EQ(by_name.at("chr").device, (1U << 8) | 3U);
  EXPECT_EQ(by_name.at("q\"uote").uid, 12345U);
  EXPECT_EQ(by_name.at("q\"uote").gid, 54321U);
  EXPECT_TRUE(by_name.at("q\"uote").user.empty());
}

TEST(ResticTree, ReadsTimesInTheirZone) {
  const auto nodes =
    parse_tree(read_file(k_trees / "b76a4ba02a7114255e4d12f4610ac2f20d5f268fe00082a1caadcf4c4fa025e1.json"));
  ASSERT_TRUE(nodes) << nodes.error().message();
  ASSERT_EQ(nodes->size(), 1U);
  EXPECT_EQ(nodes->at(0).mtime, (GoTime{1796211201, 361190540, 19800}));
}

TEST(ResticTree, AcceptsWhatGoAccepts) {
  // Whitespace, keys in any order, null fields, fields of newer versions, upper-case ids.
  const std::string json =
    " {\"nodes\" : [ {\"content\":[\"" + std::string(64, 'A') +
    "\"],\"type\":\"file\",\"name\":\"x\",\"mode\":null,\"user\":null,\"mtime\":null,"
    "\"extended_attributes\":[{\"name\":\"user.a\",\"value\":null}],"
    "\"linktarget_raw\":\"/w==\",\"generic_attributes\":{\"windows.security_descriptor\":\"AAAA\"},"
    "\"future\":[1,{\"a\":null}]} ] } \n";
  const auto nodes = parse_tree(json);
  ASSERT_TRUE(nodes) << nodes.error().message();
  ASSERT_EQ(nodes->size(), 1U);
  EXPECT_EQ(nodes->at(0).name, "x");
  EXPECT_EQ(nodes->at(0).mtime, GoTime{});
  EXPECT_EQ(nodes->at(0).extended_attributes, (std::vector<ExtendedAttribute>{{"user.a", ""}}));
  EXPECT_EQ(nodes->at(0).content->at(0).hex(), std::string(64, 'a'));
  EXPECT_TRUE(parse_tree(R"({"nodes":null})").value().empty());
  // A name stored with escapes restic does not write but Go's Unquote reads.
  EXPECT_EQ(parse_tree(tree_of(file_node_json(R"(\\101\\u00e9\\U0001F600)"))).value().at(0).name, "Aé😀");
}

TEST(ResticTree, RefusesHostileTrees) {
  const std::string zero_id(64, '0');
  const std::vector<std::string> bad = {
    "",
    "{",
    "[]",
    "null",
    "{}",
    R"({"nodes":{}})",
    R"({"nodes":[null]})",
    R"({"nodes":[1]})",
    R"({"nodes":[]} x)",
    "{\"nodes\":[]}\xff",
    std::string(100, '[') + std::string(100, ']'),
    R"({"nodes":[)" + std::string(40, '[') + std::string(40, ']') + "]}",
    tree_of(file_node_json("")),
    tree_of(file_node_json(".")),
    tree_of(file_node_json("..")),
    tree_of(file_node_json("a/b")),
    tree_of(file_node_json(R"(a\\x2fb)")),
    tree_of(file_node_json(R"(a\\x00b)")),
    tree_of(file_node_json(R"(a\u0000b)")),
    tree_of(file_node_json(R"(a\\qb)")),
    tree_of(file_node_json(R"(a\"b)")),
    tree_of(file_node_json(R"(a\\)")),
    tree_of(file_node_json(R"(a\nb)")),
    tree_of(file_node_json(R"(\\ud800)")),
    tree_of(file_node_json("bad\xff")),
    tree_of(file_node_json("b") + "," + file_node_json("a")),
    tree_of(file_node_json("a") + "," + file_node_json("a")),
    tree_of(file_node_json(R"(a)") + "," + file_node_json(R"(\\x61)")),
    tree_of(R"({"name":"x","type":"file","content":null})"),
    tree_of(R"({"name":"x","type":"file"})"),
    tree_of(R"({"name":"x","type":"dir","content":null})"),
    tree_of(R"({"name":"x","type":"dir","subtree":null})"),
    tree_of(R"({"name":"x","content":null})"),
    tree_of(R"({"name":"x","type":"irregular"})"),
    tree_of(R"({"name":"x","type":null})"),
    tree_of(R"({"name":"x","type":7})"),
    tree_of(R"({"type":"fifo"})"),
    tree_of(R"({"name":7,"type":"fifo"})"),
    tree_of(file_node_json("x", R"(,"uid":4294967296)")),
    tree_of(file_node_json("x", R"(,"mode":-1)")),
    tree_of(file_node_json("x", R"(,"gid":1.0)")),
    tree_of(file_node_json("x", R"(,"size":1e3)")),
    tree_of(file_node_json("x", R"(,"inode":18446744073709551616)")),
    tree_of(file_node_json("x", R"(,"inode":"1")")),
    tree_of(file_node_json("x", R"(,"links":true)")),
    tree_of(file_node_json("x", R"(,"user":1)")),
    tree_of(file_node_json("x", R"(,"mtime":"2026-01-01")")),
    tree_of(file_node_json("x", R"(,"ctime":0)")),
    tree_of(file_node_json("x", R"(,"content":[null])")),
    tree_of(file_node_json("x", R"(,"content":[")" + std::string(63, 'a') + R"("])")),
    tree_of(file_node_json("x", R"(,"content":[")" + std::string(63, 'a') + R"(g"])")),
    tree_of(file_node_json("x", R"(,"content":")" + zero_id + R"(")")),
    tree_of(file_node_json("x", R"(,"subtree":")" + std::string(65, 'a') + R"(")")),
    tree_of(file_node_json("x", R"(,"subtree":[])")),
    tree_of(file_node_json("x", R"(,"extended_attributes":{})")),
    tree_of(file_node_json("x", R"(,"extended_attributes":[1])")),
    tree_of(file_node_json("x", R"(,"extended_attributes":[{"name":"a","value":"a"}])")),
    tree_of(file_node_json("x", R"(,"extended_attributes":[{"name":"a","value":"aGVsbG8"}])")),
    tree_of(file_node_json("x", R"(,"extended_attributes":[{"name":1,"value":""}])")),
  };
  for (const std::string& json : bad) {
    const auto result = parse_tree(json);
    ASSERT_FALSE(result) << json;
    EXPECT_EQ(result.error().kind(), util::ErrorKind::corrupt) << json;
    EXPECT_LT(result.error().message().size(), 400U) << result.error().message();
  }
}

TEST(ResticTree, NamesTheBadNodeInErrors) {
  const auto result = parse_tree(tree_of(file_node_json("a") + "," + file_node_json("b", R"(,"mtime":"x")")));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("tree node 1"), std::string::npos) << result.error().message();
  EXPECT_NE(result.error().message().find("mtime"), std::string::npos) << result.error().message();
}

}  // namespace
}  // namespace volback::restic
