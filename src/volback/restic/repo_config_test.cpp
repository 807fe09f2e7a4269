#include <volback/restic/repo_config.hpp>

#include <gtest/gtest.h>

#include <volback/restic/test_support.hpp>

namespace volback::restic {
namespace {

using testing::from_hex;
using testing::restic_repository_key;

// The config file `restic init` (0.14) wrote.
const std::string k_restic_config = from_hex(
  "7e4431130e0099e810bf88ec562b9ad0a67b891a45dd891f65eb9d7c281c695d2edf1619fecbab68b73b582aa908e7056e5260ec0cfa6e70"
  "2c8712a4c9b06c2ccb81559fca9be527ed6910d7379e390054a8cee529d39d93c582cc2740472df649a2a0f4d8e1d21532b22ab9fa8a659d"
  "47840bfacccd92d42e5dcad543544c13d3bb219194c173b5845682db00506906e1d010559763f52f23a34e");

TEST(ResticRepoConfig, OpensTheConfigResticWrote) {
  const auto config = open_repo_config(restic_repository_key(), k_restic_config);
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->version, 2U);
  EXPECT_EQ(config->id, "ea320cf2b6ca227503a7c04505c0ef1d5f5c99f714f80447559a18bb2a35b514");
  EXPECT_EQ(config->chunker_polynomial, 0x274017a3ff57f7U);
  EXPECT_EQ(serialize_repo_config(*config),
            R"({"version":2,"id":"ea320cf2b6ca227503a7c04505c0ef1d5f5c99f714f80447559a18bb2a35b514",)"
            R"("chunker_polynomial":"274017a3ff57f7"})");
}

TEST(ResticRepoConfig, ANewConfigRoundTrips) {
  const auto config = new_repo_config();
  ASSERT_TRUE(config);
  EXPECT_EQ(config->version, 2U);
  EXPECT_EQ(config->id.size(), 64U);
  EXPECT_TRUE(is_irreducible(config->chunker_polynomial));
  const auto key = MasterKey::generate();
  ASSERT_TRUE(key);
  const auto file = seal_repo_config(*key, *config);
  ASSERT_TRUE(file);
  const auto opened = open_repo_config(*key, *file);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->id, config->id);
  EXPECT_EQ(opened->chunker_polynomial, config->chunker_polynomial);
  EXPECT_FALSE(open_repo_config(restic_repository_key(), *file));
}

TEST(ResticRepoConfig, RefusesWhatResticRefuses) {
  const std::string id = R"("id":"ea320cf2b6ca227503a7c04505c0ef1d5f5c99f714f80447559a18bb2a35b514")";
  for (const std::string& bad : {
         std::string("[]"),
         R"({"version":3,)" + id + R"(,"chunker_polynomial":"274017a3ff57f7"})",
         R"({"version":0,)" + id + R"(,"chunker_polynomial":"274017a3ff57f7"})",
         R"({)" + id + R"(,"chunker_polynomial":"274017a3ff57f7"})",
         std::string(R"({"version":2,"id":"","chunker_polynomial":"274017a3ff57f7"})"),
         R"({"version":2,)" + id + R"(,"chunker_polynomial":"274017a3ff57f6"})",  // divisible by x
         R"({"version":2,)" + id + R"(})",
         R"({"version":2,)" + id + R"(,"chunker_polynomial":"zz"})",
       }) {
    const auto config = parse_repo_config(bad);
    ASSERT_FALSE(config) << bad;
    EXPECT_EQ(config.error().kind(), util::ErrorKind::corrupt) << bad;
  }
}

}  // namespace
}  // namespace volback::restic
