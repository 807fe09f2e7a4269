#include <volback/restic/id.hpp>

#include <gtest/gtest.h>

namespace volback::restic {
namespace {

TEST(ResticId, HashesAndPrintsLowerCaseHex) {
  const auto id = Id::of(std::string_view("abc"));
  EXPECT_EQ(id.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(id.short_hex(), "ba7816bf");
  EXPECT_FALSE(id.is_zero());
  EXPECT_TRUE(Id{}.is_zero());
}

TEST(ResticId, ParsesEitherCaseAndRoundTrips) {
  const auto id = Id::parse("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, Id::of(std::string_view("abc")));
  EXPECT_EQ(Id::parse(id->hex()).value(), *id);
}

TEST(ResticId, RefusesWrongLengthAndNonHex) {
  EXPECT_FALSE(Id::parse(""));
  EXPECT_FALSE(Id::parse(std::string(63, 'a')));
  EXPECT_FALSE(Id::parse(std::string(65, 'a')));
  EXPECT_EQ(Id::parse(std::string(63, 'a') + "g").error().kind(), util::ErrorKind::corrupt);
}

TEST(ResticIdHasher, HashesPiecesAsTheWhole) {
  IdHasher hasher;
  hasher.update("hello ");
  hasher.update("");
  hasher.update("world");
  const auto id = hasher.finish();
  ASSERT_TRUE(id) << id.error().message();
  EXPECT_EQ(*id, Id::of(std::string_view("hello world")));
  EXPECT_FALSE(hasher.finish()) << "a spent hasher";
}

}  // namespace
}  // namespace volback::restic
