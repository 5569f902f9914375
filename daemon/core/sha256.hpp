// core/sha256.hpp
//
// The one SHA-256 helper (OpenSSL libcrypto): file identity, rule-set hashes, fingerprints.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace claimaudit::core {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental hasher for streaming a file. Not thread-safe; cheap to create.
class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256();

  void update(std::string_view bytes);
  // Finishes the hash; the object must not be updated afterwards.
  Sha256Digest finish();

 private:
  void* context_;  // EVP_MD_CTX*, kept opaque so OpenSSL headers stay out of ours.
};

Sha256Digest sha256(std::string_view bytes);
// Lower-case hex, 64 characters.
std::string to_hex(const Sha256Digest& digest);
std::string sha256_hex(std::string_view bytes);

}  // namespace claimaudit::core
