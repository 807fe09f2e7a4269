#include <volback/retention/prune_guard.hpp>

#include <gtest/gtest.h>

namespace volback::retention {
namespace {

PruneGuardInput healthy() {
  return PruneGuardInput{"backup-2.tar.gz", 1000, {{"Local", 1000}, {"S3", 1000}}, 1200, 0.5};
}

TEST(PruneGuard, AHealthyBackupLetsPruningGoOn) {
  EXPECT_FALSE(refuse_prune(healthy()));
  auto first = healthy();
  first.previous_size.reset();
  EXPECT_FALSE(refuse_prune(first));
}

TEST(PruneGuard, ACopyThatIsNotListedRefuses) {
  auto input = healthy();
  input.copies[1].listed_size.reset();
  const auto why = refuse_prune(input);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "the new backup backup-2.tar.gz is not listed in backend S3");
}

TEST(PruneGuard, ACopyOfAnotherSizeRefuses) {
  auto input = healthy();
  input.copies[0].listed_size = 512;
  const auto why = refuse_prune(input);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("512 bytes in backend Local, but 1000 were written"), std::string::npos);
}

TEST(PruneGuard, ABackupThatShrankBelowTheRatioRefusesNamingBothSizes) {
  auto input = healthy();
  input.size = 100;
  input.copies = {{"Local", 100}};
  input.previous_size = 1000;
  const auto why = refuse_prune(input);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("100 bytes"), std::string::npos);
  EXPECT_NE(why->find("1000 bytes"), std::string::npos);
  input.size = 500;  // exactly the ratio is fine
  input.copies = {{"Local", 500}};
  EXPECT_FALSE(refuse_prune(input));
}

TEST(PruneGuard, RatioZeroDisablesTheSizeCheck) {
  auto input = healthy();
  input.size = 1;
  input.copies = {{"Local", 1}};
  input.min_ratio = 0;
  EXPECT_FALSE(refuse_prune(input));
}

}  // namespace
}  // namespace volback::retention
