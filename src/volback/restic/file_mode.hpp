#pragma once
// file_mode: the `mode` of a node in restic's trees, which holds Go's io/fs.FileMode bits and
// not a POSIX st_mode: the permissions in the low nine bits, the file type and setuid, setgid
// and sticky in high bits of their own. restic stores os.Lstat's Mode() masked to permissions,
// type, setuid, setgid and sticky. Pure.

#include <cstdint>

namespace volback::restic {

inline constexpr std::uint32_t k_go_mode_dir = 1U << 31;
inline constexpr std::uint32_t k_go_mode_symlink = 1U << 27;
inline constexpr std::uint32_t k_go_mode_device = 1U << 26;
inline constexpr std::uint32_t k_go_mode_named_pipe = 1U << 25;
inline constexpr std::uint32_t k_go_mode_socket = 1U << 24;
inline constexpr std::uint32_t k_go_mode_setuid = 1U << 23;
inline constexpr std::uint32_t k_go_mode_setgid = 1U << 22;
inline constexpr std::uint32_t k_go_mode_char_device = 1U << 21;
inline constexpr std::uint32_t k_go_mode_sticky = 1U << 20;
inline constexpr std::uint32_t k_go_mode_irregular = 1U << 19;
inline constexpr std::uint32_t k_go_mode_perm = 0777;
inline constexpr std::uint32_t k_go_mode_type = k_go_mode_dir | k_go_mode_symlink | k_go_mode_named_pipe |
                                                k_go_mode_socket | k_go_mode_device | k_go_mode_char_device |
                                                k_go_mode_irregular;

// The mode restic stores for a file whose st_mode is `posix_mode`, as Go's os.Lstat builds
// it: the type (regular files and unknown types have no type bit; a character device is
// device | char_device), setuid, setgid, sticky and the permission bits.
std::uint32_t go_file_mode_from_posix(std::uint32_t posix_mode);

// The st_mode that `go_mode` describes: S_IFDIR, S_IFLNK, S_IFCHR (char_device, with or
// without device), S_IFBLK (device alone), S_IFIFO, S_IFSOCK, or S_IFREG when it has no type
// bit or only irregular; with S_ISUID, S_ISGID, S_ISVTX and the permission bits. Other bits
// (such as the POSIX type bits of a mode stored unconverted) are ignored.
std::uint32_t posix_mode_from_go_file_mode(std::uint32_t go_mode);

}  // namespace volback::restic
