#include "core/sha256.hpp"

// sha256() and Sha256Prefixed use the low-level SHA256_CTX, deprecated in OpenSSL 3 for EVP: an
// EVP context cannot be copied without allocating a provider context (EVP_MD_CTX_copy_ex), and
// its per-digest set-up costs more than hashing a fingerprint's two blocks.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cassert>
#include <cstring>

namespace claimaudit::core {
namespace {

// The SHA-256 implementation, fetched once: OpenSSL 3 otherwise looks it up in its provider
// registry on every digest (EVP_MD_fetch under a lock), which costs more than hashing a short
// text. Thread-safe (static initialisation); never freed, like OpenSSL's own tables.
const EVP_MD* sha256_md() {
  static const EVP_MD* const kMd = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return kMd;
}

}  // namespace

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(context_), sha256_md(), nullptr);
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context_)); }

void Sha256::update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_), bytes.data(), bytes.size());
}

Sha256Digest Sha256::finish() {
  Sha256Digest digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context_), digest.data(), &length);
  assert(length == digest.size());
  return digest;
}

static_assert(sizeof(SHA256_CTX) == 112 && alignof(SHA256_CTX) <= 8,
              "Sha256Prefixed::state_ holds a SHA256_CTX");

Sha256Prefixed::Sha256Prefixed(std::string_view prefix) {
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, prefix.data(), prefix.size());
  std::memcpy(state_.data(), &context, sizeof context);
}

Sha256Digest Sha256Prefixed::digest(std::string_view rest) const {
  SHA256_CTX context;
  std::memcpy(&context, state_.data(), sizeof context);
  SHA256_Update(&context, rest.data(), rest.size());
  Sha256Digest digest{};
  SHA256_Final(digest.data(), &context);
  return digest;
}

Sha256Digest sha256(std::string_view bytes) {
  // The low-level interface, as Sha256Prefixed: no EVP set-up per digest (short texts are
  // hashed once a claim: the member-id hash, the claim hash).
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, bytes.data(), bytes.size());
  Sha256Digest digest{};
  SHA256_Final(digest.data(), &context);
  return digest;
}

std::string to_hex(const Sha256Digest& digest) {
  // Both hex digits of a byte at once.
  static constexpr auto kPairs = [] {
    constexpr char kHex[] = "0123456789abcdef";
    std::array<std::array<char, 2>, 256> pairs{};
    for (std::size_t byte = 0; byte < pairs.size(); ++byte) {
      pairs[byte] = {kHex[byte >> 4], kHex[byte & 0x0f]};
    }
    return pairs;
  }();
  std::array<char, 2 * std::tuple_size_v<Sha256Digest>> out;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    std::memcpy(out.data() + 2 * i, kPairs[digest[i]].data(), 2);
  }
  return std::string(out.data(), out.size());
}

std::string sha256_hex(std::string_view bytes) { return to_hex(sha256(bytes)); }

}  // namespace claimaudit::core
