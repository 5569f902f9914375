#include "store/claim_json_codec.hpp"

#include <sqlite3.h>
#include <zstd.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <SQLiteCpp/SQLiteCpp.h>

namespace claimaudit::store {
namespace {

// Level -1 (zstd's first "fast" level): on the benchmark's claims (1,316 bytes of JSON on
// average) it writes 280 bytes a claim where level 1 wrote 257 (+9%), for 20,700 fewer
// instructions a claim (a tenth of a worker's audit: tools/bench/worker-icount); -3 saved 4,000
// more for 13% more bytes. Higher levels gained about 10% in size for twice the time. Frames
// of any level decompress alike, so stores written at level 1 read back unchanged. With the
// trained dictionary 2 (0007): 145 bytes and 18,500 instructions a claim instead of 280 and
// 36,400 (-3 would save 1,500 more for 9% more bytes).
constexpr int kLevel = -1;

// The dictionary the workers compress with: published once, kept for the process's life (the
// workers may compress until the process exits).
struct Published {
  std::string dictionary;
  ZSTD_CDict* compress_dictionary = nullptr;
};
std::mutex publish_mutex;
std::atomic<const Published*> published{nullptr};

}  // namespace

bool publish_claim_json_dictionary(const std::string& dictionary) {
  std::lock_guard lock(publish_mutex);
  if (const Published* current = published.load(std::memory_order_acquire)) {
    return current->dictionary == dictionary;
  }
  auto made = std::make_unique<Published>();
  made->dictionary = dictionary;
  made->compress_dictionary = ZSTD_createCDict(dictionary.data(), dictionary.size(), kLevel);
  if (made->compress_dictionary == nullptr) return false;
  published.store(made.release(), std::memory_order_release);
  return true;
}

std::optional<std::string> published_claim_json_dictionary() {
  const Published* dictionary = published.load(std::memory_order_acquire);
  if (dictionary == nullptr) return std::nullopt;
  return dictionary->dictionary;
}

bool compress_claim_json(std::string_view json, std::string& frame) {
  const Published* dictionary = published.load(std::memory_order_acquire);
  if (dictionary == nullptr) return false;
  struct Context {
    ZSTD_CCtx* context = ZSTD_createCCtx();
    std::string scratch;
    Context() = default;
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    ~Context() { ZSTD_freeCCtx(context); }
  };
  thread_local Context mine;
  if (mine.context == nullptr) return false;
  mine.scratch.resize(ZSTD_compressBound(json.size()));
  const std::size_t size =
      ZSTD_compress_usingCDict(mine.context, mine.scratch.data(), mine.scratch.size(), json.data(),
                               json.size(), dictionary->compress_dictionary);
  if (ZSTD_isError(size)) return false;
  frame.assign(mine.scratch.data(), size);  // One block of the frame's size.
  return true;
}

struct ClaimJsonCodec::Contexts {
  ZSTD_CCtx* compress = nullptr;
  ZSTD_DCtx* decompress = nullptr;
  ZSTD_CDict* compress_dictionary = nullptr;
  // By the zstd dictionary id frames name (0: raw content, named by none).
  std::map<unsigned, ZSTD_DDict*> decompress_dictionaries;
  Contexts() = default;
  Contexts(const Contexts&) = delete;
  Contexts& operator=(const Contexts&) = delete;
  ~Contexts() {
    ZSTD_freeCCtx(compress);
    ZSTD_freeDCtx(decompress);
    ZSTD_freeCDict(compress_dictionary);
    for (auto& [id, dictionary] : decompress_dictionaries) ZSTD_freeDDict(dictionary);
  }
};

ClaimJsonCodec::ClaimJsonCodec(const std::string& dictionary)
    : ClaimJsonCodec(ClaimJsonDictionaries{{kClaimJsonDictionary, dictionary}}) {}

ClaimJsonCodec::ClaimJsonCodec(const ClaimJsonDictionaries& dictionaries)
    : contexts_(std::make_unique<Contexts>()) {
  if (dictionaries.empty()) throw std::invalid_argument("no claim JSON dictionary");
  const std::string& newest = dictionaries.rbegin()->second;
  contexts_->compress = ZSTD_createCCtx();
  contexts_->decompress = ZSTD_createDCtx();
  contexts_->compress_dictionary = ZSTD_createCDict(newest.data(), newest.size(), kLevel);
  if (contexts_->compress == nullptr || contexts_->decompress == nullptr ||
      contexts_->compress_dictionary == nullptr) {
    throw std::runtime_error("zstd cannot load the claim JSON dictionary");
  }
  // Newest first: where two dictionaries have the same zstd id (two raw ones), the newest's
  // frames, the only ones made since, read back.
  for (auto it = dictionaries.rbegin(); it != dictionaries.rend(); ++it) {
    const unsigned id = ZSTD_getDictID_fromDict(it->second.data(), it->second.size());
    if (contexts_->decompress_dictionaries.contains(id)) continue;
    ZSTD_DDict* dictionary = ZSTD_createDDict(it->second.data(), it->second.size());
    if (dictionary == nullptr) throw std::runtime_error("zstd cannot load a claim JSON dictionary");
    contexts_->decompress_dictionaries.emplace(id, dictionary);
  }
}

ClaimJsonCodec::~ClaimJsonCodec() = default;

std::string_view ClaimJsonCodec::compress(std::string_view json) {
  frame_.resize(ZSTD_compressBound(json.size()));
  const std::size_t size =
      ZSTD_compress_usingCDict(contexts_->compress, frame_.data(), frame_.size(), json.data(),
                               json.size(), contexts_->compress_dictionary);
  // Cannot fail with a buffer of ZSTD_compressBound() bytes; keep the contract anyway.
  if (ZSTD_isError(size)) throw std::runtime_error(ZSTD_getErrorName(size));
  return std::string_view(frame_.data(), size);
}

std::optional<std::string> ClaimJsonCodec::decompress(std::string_view frame) {
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  // The store's frames carry their size; anything larger than a claim could be is not one.
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (64u << 20)) {
    return std::nullopt;
  }
  const auto dictionary =
      contexts_->decompress_dictionaries.find(ZSTD_getDictID_fromFrame(frame.data(), frame.size()));
  if (dictionary == contexts_->decompress_dictionaries.end()) return std::nullopt;
  std::string text(static_cast<std::size_t>(size), '\0');
  const std::size_t made =
      ZSTD_decompress_usingDDict(contexts_->decompress, text.data(), text.size(), frame.data(),
                                 frame.size(), dictionary->second);
  if (ZSTD_isError(made) || made != text.size()) return std::nullopt;
  return text;
}

ClaimJsonDictionaries read_claim_json_dictionaries(SQLite::Database& database) {
  ClaimJsonDictionaries dictionaries;
  if (!database.tableExists("compression_dictionaries")) return dictionaries;
  SQLite::Statement select(database,
                           "SELECT id, dictionary FROM compression_dictionaries WHERE purpose = "
                           "'claims.claim_json_zstd' ORDER BY id");
  while (select.executeStep()) {
    const SQLite::Column column = select.getColumn(1);
    dictionaries.emplace(select.getColumn(0).getInt(),
                         std::string(static_cast<const char*>(column.getBlob()),
                                     static_cast<std::size_t>(column.getBytes())));
  }
  return dictionaries;
}

std::optional<std::string> read_claim_json_dictionary(SQLite::Database& database) {
  auto dictionaries = read_claim_json_dictionaries(database);
  if (dictionaries.empty()) return std::nullopt;
  return std::move(dictionaries.rbegin()->second);
}

void register_claim_json_function(SQLite::Database& database) {
  const auto dictionaries = read_claim_json_dictionaries(database);
  ClaimJsonCodec* codec = dictionaries.empty() ? nullptr : new ClaimJsonCodec(dictionaries);
  const int result = sqlite3_create_function_v2(
      database.getHandle(), "claim_json", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, codec,
      [](sqlite3_context* context, int, sqlite3_value** values) {
        if (sqlite3_value_type(values[1]) == SQLITE_NULL) {
          sqlite3_result_value(context, values[0]);
          return;
        }
        auto* self = static_cast<ClaimJsonCodec*>(sqlite3_user_data(context));
        const void* blob = sqlite3_value_blob(values[1]);
        const int bytes = sqlite3_value_bytes(values[1]);
        std::optional<std::string> text;
        if (self != nullptr && blob != nullptr) {
          text = self->decompress(
              std::string_view(static_cast<const char*>(blob), static_cast<std::size_t>(bytes)));
        }
        if (!text) {
          sqlite3_result_null(context);
          return;
        }
        sqlite3_result_text64(context, text->data(), text->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      },
      nullptr, nullptr, [](void* data) { delete static_cast<ClaimJsonCodec*>(data); });
  if (result != SQLITE_OK) {
    delete codec;
    throw std::runtime_error(std::string("cannot register claim_json(): ") +
                             sqlite3_errstr(result));
  }
}

}  // namespace claimaudit::store
