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

// SHA-256 of texts that share a prefix (a claim's finding fingerprints): the prefix is hashed
// once, and each digest() hashes only the rest. No allocation; copyable. Not thread-safe.
class Sha256Prefixed {
 public:
  // The state after `prefix`.
  explicit Sha256Prefixed(std::string_view prefix = {});
  // SHA-256 of the prefix followed by `rest`.
  Sha256Digest digest(std::string_view rest) const;

 private:
  // OpenSSL's SHA256_CTX (a plain struct: copying it resumes the digest), kept opaque so
  // OpenSSL headers stay out of ours.
  alignas(8) std::array<std::uint8_t, 112> state_;
};

Sha256Digest sha256(std::string_view bytes);
// Lower-case hex, 64 characters.
std::string to_hex(const Sha256Digest& digest);
std::string sha256_hex(std::string_view bytes);

}  // namespace claimaudit::core
