#include <volback/app/backup/copy_object.hpp>

#include <vector>

namespace volback::app {

util::Result<storage::ObjectInfo> copy_object(io::Source& source, storage::Backend& backend, std::string_view key,
                                              const storage::PutOptions& options, const util::CancelToken& cancel) {
  constexpr std::size_t k_buffer_size = 1 << 20;
  VOLBACK_TRY_ASSIGN(auto upload, backend.begin_upload(key, options));
  std::vector<std::byte> buffer(k_buffer_size);
  while (true) {
    VOLBACK_TRY(cancel.check());
    VOLBACK_TRY_ASSIGN(const std::size_t n, source.read(buffer));
    if (n == 0) {
      break;
    }
    VOLBACK_TRY(upload->write(std::span<const std::byte>(buffer.data(), n)));
  }
  VOLBACK_TRY(upload->finish());
  return upload->result();
}

}  // namespace volback::app
