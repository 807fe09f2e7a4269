#include <volback/archive/text_spill.hpp>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include <volback/archive/test_support.hpp>

namespace volback::archive {
namespace {

std::string read_all(TextSpill& spill) {
  std::string out;
  EXPECT_TRUE(spill.read([&out](std::string_view chunk) -> util::Result<void> {
    out.append(chunk);
    return {};
  }));
  return out;
}

TEST(TextSpill, GivesTheTextBackFromMemoryAndFromTheFile) {
  test::TempDir dir;
  TextSpill spill(dir.path(), 100, "test spill");
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string line = "row " + std::to_string(i) + "\n";
    expected += line;
    ASSERT_TRUE(spill.append(line));
  }
  EXPECT_GT(spill.spilled(), 0u);
  EXPECT_EQ(spill.size(), expected.size());
  EXPECT_EQ(read_all(spill), expected);
  EXPECT_EQ(read_all(spill), expected);  // as often as needed
  EXPECT_FALSE(spill.append("more"));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));  // the file has no name
}

TEST(TextSpill, TwoCursorsWalkSideBySide) {
  test::TempDir dir;
  TextSpill spill(dir.path(), 10, "test spill");
  ASSERT_TRUE(spill.append(std::string(300000, 'x')));
  ASSERT_TRUE(spill.append("tail"));
  auto a = spill.cursor();
  auto b = spill.cursor();
  ASSERT_TRUE(a && b);
  std::string from_a;
  std::string from_b;
  for (;;) {
    auto ca = a->next();
    auto cb = b->next();
    ASSERT_TRUE(ca && cb);
    from_a.append(*ca);
    from_b.append(*cb);
    if (ca->empty() && cb->empty()) {
      break;
    }
  }
  EXPECT_EQ(from_a, std::string(300000, 'x') + "tail");
  EXPECT_EQ(from_a, from_b);
}

TEST(TextSpill, AnEmptySpillReadsNothing) {
  TextSpill spill("/tmp");
  EXPECT_EQ(read_all(spill), "");
}

}  // namespace
}  // namespace volback::archive
