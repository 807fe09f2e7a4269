#include <volback/app/config/stream_chain.hpp>

#include <gtest/gtest.h>

#include <volback/crypto/age_scrypt.hpp>
#include <volback/io/memory_sink.hpp>

namespace volback::app {
namespace {

// A stage that appends its tag to every write and "<tag>-end" at finish.
StreamStage tagging(std::string tag, std::string extension, std::string type) {
  return {std::move(extension), std::move(type), [tag](io::Sink& next) -> std::unique_ptr<io::Sink> {
            class Tag final : public io::Sink {
             public:
              Tag(std::string tag, io::Sink& next) : m_tag(std::move(tag)), m_next(next) {}
              util::Result<void> write(std::span<const std::byte> data) override {
                VOLBACK_TRY(m_next.write(data));
                return m_next.write(std::as_bytes(std::span(m_tag)));
              }
              util::Result<void> finish() override {
                const std::string end = m_tag + "-end";
                VOLBACK_TRY(m_next.write(std::as_bytes(std::span(end))));
                return m_next.finish();
              }

             private:
              std::string m_tag;
              io::Sink& m_next;
            };
            return std::make_unique<Tag>(tag, next);
          }};
}

TEST(StreamChain, NameAndTypeComeFromTheWholeChain) {
  const StreamChain chain({tagging("z", "gz", "application/gzip"), tagging("e", "gpg", "application/pgp-encrypted")});
  EXPECT_EQ(chain.extension(), "tar.gz.gpg");
  EXPECT_EQ(chain.content_type(), "application/pgp-encrypted");
  EXPECT_EQ(StreamChain({}).extension(), "tar");
  EXPECT_EQ(StreamChain({}).content_type(), "application/x-tar");
}

TEST(StreamChain, StagesRunInStreamOrderAndFinishCascades) {
  const StreamChain chain({tagging("1", "", ""), tagging("2", "", "")});
  io::MemorySink out;
  auto pipeline = chain.build(out);
  const std::string x = "x";
  ASSERT_TRUE(pipeline.head().write(std::as_bytes(std::span(x))));
  ASSERT_TRUE(pipeline.head().finish());
  // "x" passes stage 1 ("x1"), then stage 2 tags each write it receives.
  EXPECT_EQ(out.data(),
            "x2"
            "12"
            "1-end2"
            "2-end");
  EXPECT_TRUE(out.finished());
}

TEST(StreamChain, TheBackupChainFollowsTheCodec) {
  EXPECT_EQ(archive_stream_chain({.codec = compress::Codec::gzip}).extension(), "tar.gz");
  EXPECT_EQ(archive_stream_chain({.codec = compress::Codec::zstd}).content_type(), "application/zstd");
  EXPECT_EQ(archive_stream_chain({.codec = compress::Codec::none}).extension(), "tar");
  EXPECT_EQ(archive_stream_chain({.codec = compress::Codec::none}).content_type(), "application/x-tar");
}

TEST(StreamChain, EncryptionComesAfterCompression) {
  crypto::EncryptionSettings age;
  age.method = crypto::EncryptionMethod::age_passphrase;
  age.age = {crypto::make_age_scrypt_recipient("secret", 10)};
  const auto chain = archive_stream_chain({.codec = compress::Codec::gzip}, age);
  EXPECT_EQ(chain.extension(), "tar.gz") << "{{ .Extension }} stays the compression's, as offen's";
  EXPECT_EQ(chain.name_suffix(), ".age");
  EXPECT_EQ(chain.content_type(), "application/octet-stream");
  io::MemorySink out;
  auto pipeline = chain.build(out);
  const std::string data(100000, 'x');
  ASSERT_TRUE(pipeline.head().write(io::as_bytes(data)));
  ASSERT_TRUE(pipeline.head().finish());
  ASSERT_TRUE(out.finished());
  EXPECT_TRUE(out.data().starts_with("age-encryption.org/v1\n-> scrypt ")) << "gzip inside age, not the reverse";
  EXPECT_LT(out.data().size(), data.size() / 10);
}

}  // namespace
}  // namespace volback::app
