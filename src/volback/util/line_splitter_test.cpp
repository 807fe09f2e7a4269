#include <volback/util/line_splitter.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace volback::util {
namespace {

struct Collect {
  std::vector<std::string> lines;
  LineSplitter::LineHandler handler() {
    return [this](std::string_view line) -> Result<void> {
      lines.emplace_back(line);
      return {};
    };
  }
};

TEST(LineSplitterTest, JoinsLinesAcrossChunks) {
  LineSplitter splitter(100, "text");
  Collect c;
  ASSERT_TRUE(splitter.feed("ab", c.handler()));
  ASSERT_TRUE(splitter.feed("c\nde\n\nf", c.handler()));
  EXPECT_EQ(c.lines, (std::vector<std::string>{"abc", "de", ""}));
  ASSERT_TRUE(splitter.finish(c.handler()));
  EXPECT_EQ(c.lines, (std::vector<std::string>{"abc", "de", "", "f"}));
  EXPECT_EQ(splitter.lines(), 4u);
}

TEST(LineSplitterTest, NoTrailingLineWhenTextEndsWithNewline) {
  LineSplitter splitter(100, "text");
  Collect c;
  ASSERT_TRUE(splitter.feed("a\n", c.handler()));
  ASSERT_TRUE(splitter.finish(c.handler()));
  EXPECT_EQ(c.lines, (std::vector<std::string>{"a"}));
}

TEST(LineSplitterTest, RefusesAnOverlongLineWithoutBufferingIt) {
  LineSplitter splitter(4, "the manifest");
  Collect c;
  ASSERT_TRUE(splitter.feed("abcd\n", c.handler()));
  ASSERT_TRUE(splitter.feed("xyz", c.handler()));
  const auto r = splitter.feed("zz", c.handler());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::corrupt);
  EXPECT_EQ(r.error().message(), "the manifest: line 2 is longer than 4 bytes");
}

TEST(LineSplitterTest, HandlerErrorsStopTheFeed) {
  LineSplitter splitter(100, "text");
  int calls = 0;
  const auto r = splitter.feed("a\nb\n", [&](std::string_view) -> Result<void> {
    ++calls;
    return fail(ErrorKind::corrupt, "no");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace volback::util
