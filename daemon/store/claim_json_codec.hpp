// store/claim_json_codec.hpp
//
// The claim JSON as the store keeps it (migrations 0005, 0007): a zstd frame (level -1) made
// with the newest dictionary of the database's compression_dictionaries table, in
// claims.claim_json_zstd; claims.claim_json holds the text only for rows written before 0005.
// Dictionary 1 (0005) is raw content, so its frames name no dictionary; dictionary 2 (0007) is
// a trained zstd dictionary whose frames name its zstd id (2) in their header. ClaimJsonCodec
// compresses with the newest dictionary and decompresses each frame with the dictionary its
// header names (none: the raw one); register_claim_json_function() gives a connection the SQL
// function claim_json(claim_json, claim_json_zstd) that every reader of the JSON goes through.
//
// The audit workers compress each claim's JSON before handing it to the store thread
// (compress_claim_json, the frame in store::ClaimRecord::claim_json_zstd): the store's one thread
// is the pipeline's serial stage, and compression was a fifth of its time. They use the
// dictionary that the first Store of the process read from its database as its newest
// (publish_claim_json_dictionary); a Store binds such frames only if its own newest dictionary
// is that one (the shipped dictionaries are never edited, so it always is), and compresses the
// others itself. The frames are the same bytes either way (same dictionary, same level).
//
// Thread-safety: a ClaimJsonCodec is used by one thread (it reuses its zstd contexts). The SQL
// function's codec belongs to its connection, which SQLite uses from one thread at a time.
// publish_claim_json_dictionary and compress_claim_json may be called from any thread (each
// thread compresses with its own context).
// Errors: the constructor throws std::runtime_error if zstd cannot load a dictionary;
// decompress() returns nullopt for bytes that are not such a frame.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace SQLite {  // NOLINT(readability-identifier-naming): SQLiteCpp's own namespace.
class Database;
}

namespace claimaudit::store {

// compression_dictionaries.id of the claim JSON's first dictionary (raw content, 0005).
inline constexpr int kClaimJsonDictionary = 1;

// The claim JSON's dictionaries of a database, by compression_dictionaries.id.
using ClaimJsonDictionaries = std::map<int, std::string>;

class ClaimJsonCodec {
 public:
  // One dictionary: compresses and decompresses with it.
  explicit ClaimJsonCodec(const std::string& dictionary);
  // Compresses with the newest (highest id); decompresses with the one a frame names. Throws
  // std::invalid_argument if `dictionaries` is empty.
  explicit ClaimJsonCodec(const ClaimJsonDictionaries& dictionaries);
  ClaimJsonCodec(const ClaimJsonCodec&) = delete;
  ClaimJsonCodec& operator=(const ClaimJsonCodec&) = delete;
  ~ClaimJsonCodec();

  // The zstd frame of `json`; valid until the next call.
  std::string_view compress(std::string_view json);
  // The text of a frame made with one of its dictionaries; nullopt if `frame` is not one.
  std::optional<std::string> decompress(std::string_view frame);

 private:
  struct Contexts;
  std::unique_ptr<Contexts> contexts_;
  std::string frame_;
};

// Makes `dictionary` the one compress_claim_json() uses, unless one was published already.
// Returns whether the published dictionary is `dictionary` (byte for byte), i.e. whether frames
// from compress_claim_json() may be stored as frames of this dictionary.
bool publish_claim_json_dictionary(const std::string& dictionary);

// The published dictionary, if any.
std::optional<std::string> published_claim_json_dictionary();

// Compresses `json` into `frame` with the published dictionary (the frame ClaimJsonCodec makes
// with it). Returns false, `frame` untouched, if no dictionary is published yet.
bool compress_claim_json(std::string_view json, std::string& frame);

// The newest claim JSON dictionary of the database (the one new frames are made with); nullopt
// if the database has none (a schema before 0005).
std::optional<std::string> read_claim_json_dictionary(SQLite::Database& database);

// Every claim JSON dictionary of the database; empty before 0005.
ClaimJsonDictionaries read_claim_json_dictionaries(SQLite::Database& database);

// Registers claim_json(text, blob) on `database`: the text when the blob is NULL (a row written
// before 0005), else the blob decompressed with the dictionary its frame names; NULL for a blob
// that does not decompress.
void register_claim_json_function(SQLite::Database& database);

}  // namespace claimaudit::store
