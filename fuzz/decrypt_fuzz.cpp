// Fuzzes crypto::DecryptingSource, the reader of encrypted backups: recognition by the
// first bytes, age (header and stanzas, armor, STREAM chunks) and OpenPGP (packet framing,
// partial lengths, PKESK with an ECDH cv25519 key, SEIPD/MDC, compressed and literal data,
// armor). The keys are fixed and hold no passphrase, so that no input costs an scrypt or
// an S2K derivation: an X25519 age identity and an unprotected OpenPGP secret key (ed25519
// primary, cv25519 encryption subkey), both made for this target only. The seeds in
// fuzz/corpus/decrypt/ are encrypted to them (fuzz/make-corpus.sh does not make them; they
// were written by age and gpg). The first byte picks the size of the source's reads and of
// the reader's buffer; the rest is the ciphertext, read to its end or its first error, with
// the output capped.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <volback/crypto/decrypting_source.hpp>
#include <volback/crypto/decryption_keys.hpp>
#include <volback/io/memory_source.hpp>
#include <volback/util/settings.hpp>

using namespace volback;

namespace {

constexpr std::uint64_t k_output_cap = std::uint64_t{4} << 20;
constexpr std::uint64_t k_call_cap = 100000;
constexpr std::array<std::size_t, 4> k_source_chunks{1, 13, 4096, std::size_t{1} << 20};
constexpr std::array<std::size_t, 4> k_read_sizes{1, 100, 8192, std::size_t{256} << 10};

// Test keys, not secrets: they protect nothing but this target's seeds.
constexpr const char* k_age_identity = "AGE-SECRET-KEY-17VJ5G40PV53RK8TLQNKZDG8L7UVDQMX9SKTSLMNRU3A3XLMVC8ZQFJLAJH\n";
constexpr const char* k_gpg_secret_key = R"(
-----BEGIN PGP PRIVATE KEY BLOCK-----

lFgEaw80ABYJKwYBBAHaRw8BAQdAi6aCQCm1ZPXoBY3qwKjOPcuxfZV124gosbaa
S1cmW44AAQDa3kY8JGrrmpFlOrYQ4VdjthY9u3wQnlQGrnYjexY5Qg16tBtGdXp6
IDxmdXp6QGV4YW1wbGUuaW52YWxpZD6IkAQTFggAOBYhBMizDQ3lNwS+O5GIwWf0
h8pgaYV5BQJrDzQAAhsDBQsJCAcCBhUKCQgLAgQWAgMBAh4BAheAAAoJEGf0h8pg
aYV5qSwA/jYLIGaFUajaHT+IG1JQDTZJi/YlAMmQ/KullbESFyGNAQDLBel7XmAg
JlKUKyeDIpx/euwVlyaD+83Yv5IgD4HQCJxdBGsPNAASCisGAQQBl1UBBQEBB0C5
cA6YOperI2fLJD+Aal0nc6ZNgJloBs/Zmjx8GEnMYQMBCAcAAP9HChJkKK2/cls1
WUKz7U7tFT07vWRbgGDFZV6UPBeuyA6giHcEGBYIACAWIQTIsw0N5TcEvjuRiMFn
9IfKYGmFeQUCaw80AAIbDAAKCRBn9IfKYGmFeZuVAP9PWmKN6HRonrUZ9VR4bSvl
SJUX0B8H3FMvsNCTAQQkKwD42OoHampxqu2ghWAvIMuyFz78H38GKxdMsb0+msVN
CA==
=OsuD
-----END PGP PRIVATE KEY BLOCK-----
)";

const crypto::DecryptionKeys& keys() {
  static const crypto::DecryptionKeys loaded = [] {
    util::MapSource source({{"AGE_IDENTITY", k_age_identity}, {"GPG_SECRET_KEY_RING", k_gpg_secret_key}},
                           "environment");
    auto result = crypto::DecryptionKeys::load(util::Settings({&source}), std::nullopt);
    if (!result) {
      __builtin_trap();  // the fixed keys must load
    }
    return std::move(*result);
  }();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t control = data[0];
  const std::size_t chunk = k_source_chunks[control & 3];
  const std::size_t read_size = k_read_sizes[(control >> 2) & 3];
  io::MemorySource raw(std::string(reinterpret_cast<const char*>(data) + 1, size - 1), chunk);
  auto source = crypto::DecryptingSource::open(raw, keys());
  if (!source) {
    return 0;
  }
  std::vector<std::byte> buffer(read_size);
  std::uint64_t total = 0;
  for (std::uint64_t calls = 0; total < k_output_cap && calls < k_call_cap; ++calls) {
    auto got = (*source)->read(buffer);
    if (!got || *got == 0) {
      break;
    }
    total += *got;
  }
  return 0;
}
