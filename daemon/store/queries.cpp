#include "store/queries.hpp"

#include <sqlite3.h>

#include <map>
#include <string_view>
#include <system_error>
#include <variant>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/claim_json_codec.hpp"

namespace claimaudit::store {
namespace {

class SqliteCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sqlite"; }
  std::string message(int value) const override { return sqlite3_errstr(value); }
};

core::ErrorCode to_error(const SQLite::Exception& error) {
  const int code = error.getExtendedErrorCode() > 0 ? error.getExtendedErrorCode() : SQLITE_ERROR;
  return core::ErrorCode(std::error_code(code, sqlite_category()));
}

using BindValue = std::variant<std::int64_t, std::string>;

// Dynamic filters use named parameters :p0, :p1 ... so they never clash with :today.
std::string next_param(const std::vector<BindValue>& binds) {
  return ":p" + std::to_string(binds.size());
}

void bind_all(SQLite::Statement& statement, const std::vector<BindValue>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string name = ":p" + std::to_string(i);
    if (const auto* number = std::get_if<std::int64_t>(&values[i])) {
      statement.bind(name, *number);
    } else {
      statement.bind(name, std::get<std::string>(values[i]));
    }
  }
}

std::string text(SQLite::Statement& row, int column) {
  const auto value = row.getColumn(column);
  return value.isNull() ? std::string() : value.getString();
}

// Whether the claim JSON's diagnosis `d` (a json_each row) was sent as ICD-9-CM: its
// "code_system" (written since session 10), else, for older rows, its X12 qualifier (BK, BF, BJ,
// BN, PR; the ICD-10-CM ones are ABK ...) or FHIR coding system.
#define CLAIMAUDIT_DIAGNOSIS_IS_ICD9                                           \
  "(json_extract(d.value, '$.code_system') = 'icd9cm' OR "                     \
  "json_extract(d.value, '$.qualifier') IN ('BK', 'BF', 'BJ', 'BN', 'PR') OR " \
  "json_extract(d.value, '$.qualifier') = 'http://hl7.org/fhir/sid/icd-9-cm')"

// The columns every finding query selects, in the order read_finding() reads them. The waiver
// column names the oldest active waiver covering the finding (query-time, so an expired waiver
// stops applying without rewriting any row). The last says whether a diagnosis finding's code
// was sent as ICD-9-CM; it is asked (the claim JSON decompressed) only for an E code of three
// digits or more, the only codes ICD-9-CM dots elsewhere than ICD-10-CM (E880.9 and E88.09,
// E912 and E91.2).
constexpr std::string_view kFindingColumns = R"(
  f.id, f.rule_id, f.rule_version, f.rule_set_hash, f.severity, f.mode, f.status, f.assignee,
  f.code, f.diagnosis_seq, f.line_seq, f.location, f.message, f.evidence, f.predicts,
  f.fingerprint, f.code_edition, f.created, f.updated,
  c.id, c.claim_id, c.billing_provider, c.payer_kind, c.kind, c.service_from, fi.id, fi.name,
  (SELECT w.id FROM waivers w
    WHERE w.rule_id = f.rule_id AND w.expires >= :today
      AND ((w.scope = 'payer_kind' AND w.value = c.payer_kind)
        OR (w.scope = 'billing_provider' AND w.value = c.billing_provider)
        OR (w.scope = 'code' AND w.value = f.code)
        OR (w.scope = 'claim' AND w.value = c.claim_id))
    ORDER BY w.id LIMIT 1) AS waiver_id,
  CASE WHEN f.diagnosis_seq > 0 AND f.code GLOB 'E[0-9][0-9][0-9]*' AND
    json_valid(claim_json(c.claim_json, c.claim_json_zstd)) THEN
    (SELECT )" CLAIMAUDIT_DIAGNOSIS_IS_ICD9 R"( FROM
      json_each(claim_json(c.claim_json, c.claim_json_zstd), '$.diagnoses') d
      WHERE json_extract(d.value, '$.seq') = f.diagnosis_seq) END AS icd9
  FROM findings f JOIN claims c ON c.id = f.claim_ref JOIN files fi ON fi.id = f.file_id)";

model::FindingRecord read_finding(SQLite::Statement& row) {
  model::FindingRecord record;
  record.id = row.getColumn(0).getInt64();
  record.rule_id = text(row, 1);
  record.rule_version = text(row, 2);
  record.rule_set_hash = text(row, 3);
  record.severity =
      model::parse_finding_severity(text(row, 4)).value_or(model::FindingSeverity::kWarning);
  record.mode = model::parse_rule_mode(text(row, 5)).value_or(model::RuleMode::kEnforce);
  record.status = model::parse_finding_status(text(row, 6)).value_or(model::FindingStatus::kOpen);
  record.assignee = text(row, 7);
  record.code = text(row, 8);
  record.diagnosis_seq = row.getColumn(9).getInt();
  record.line_seq = row.getColumn(10).getInt();
  record.location = text(row, 11);
  record.message = text(row, 12);
  record.evidence_json = text(row, 13);
  record.predicts = text(row, 14);
  record.fingerprint = text(row, 15);
  record.code_edition = text(row, 16);
  record.created_at = text(row, 17);
  record.updated_at = text(row, 18);
  record.claim_row = row.getColumn(19).getInt64();
  record.claim_id = text(row, 20);
  record.billing_npi = text(row, 21);
  record.payer_kind = model::parse_payer_kind(text(row, 22)).value_or(model::PayerKind::kUnknown);
  record.claim_kind = model::parse_claim_kind(text(row, 23)).value_or(model::ClaimKind::kUnknown);
  record.service_date = core::parse_iso_date(text(row, 24));
  record.file_id = row.getColumn(25).getInt64();
  record.file_name = text(row, 26);
  if (!row.getColumn(27).isNull()) record.waiver_id = row.getColumn(27).getInt64();
  if (row.getColumn(28).getInt() == 1) record.code_system = model::CodeSystem::kIcd9Cm;
  return record;
}

template <class T, class F>
void add_in_list(std::string& sql, std::vector<BindValue>& binds, std::string_view column,
                 const std::vector<T>& values, F&& word) {
  if (values.empty()) return;
  sql += " AND ";
  sql += column;
  sql += " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    sql += i == 0 ? "" : ", ";
    sql += next_param(binds);
    binds.emplace_back(std::string(word(values[i])));
  }
  sql += ")";
}

}  // namespace

const std::error_category& sqlite_category() {
  static const SqliteCategory kCategory;
  return kCategory;
}

Queries::Queries(const std::filesystem::path& database)
    : db_(std::make_unique<SQLite::Database>(database.string(), SQLite::OPEN_READONLY, 5000)) {
  register_claim_json_function(*db_);  // The claim JSON is stored compressed (0005).
}

Queries::~Queries() = default;

core::Result<FindingPage> Queries::findings(const model::FindingFilter& filter, core::Date today) {
  FindingPage page;
  auto next = each_finding(filter, today, [&page](const model::FindingRecord& record) {
    page.findings.push_back(record);
  });
  if (!next) return next.error();
  page.next_after_id = *next;
  return page;
}

core::Result<std::int64_t> Queries::each_finding(
    const model::FindingFilter& filter, core::Date today,
    const std::function<void(const model::FindingRecord&)>& visit) {
  try {
    std::string sql = "SELECT ";
    sql += kFindingColumns;
    sql += " WHERE f.id > :p0";
    std::vector<BindValue> binds{filter.after_id};
    add_in_list(sql, binds, "f.status", filter.statuses,
                [](model::FindingStatus s) { return model::to_string(s); });
    add_in_list(sql, binds, "f.rule_id", filter.rule_ids, [](const std::string& s) { return s; });
    add_in_list(sql, binds, "f.severity", filter.severities,
                [](model::FindingSeverity s) { return model::to_string(s); });
    add_in_list(sql, binds, "c.payer_kind", filter.payer_kinds,
                [](model::PayerKind s) { return model::to_string(s); });
    add_in_list(sql, binds, "c.kind", filter.claim_kinds,
                [](model::ClaimKind s) { return model::to_string(s); });
    if (filter.from) {
      sql += " AND c.service_from >= " + next_param(binds);
      binds.emplace_back(filter.from->iso());
    }
    if (filter.to) {
      sql += " AND c.service_from <= " + next_param(binds);
      binds.emplace_back(filter.to->iso());
    }
    if (!filter.file.empty()) {
      sql += " AND fi.name = " + next_param(binds);
      binds.emplace_back(filter.file);
    }
    if (!filter.claim_id.empty()) {
      sql += " AND c.claim_id = " + next_param(binds);
      binds.emplace_back(filter.claim_id);
    }
    if (!filter.assignee.empty()) {
      sql += " AND f.assignee = " + next_param(binds);
      binds.emplace_back(filter.assignee);
    }
    if (!filter.include_shadow) sql += " AND f.mode = 'enforce'";
    if (!filter.include_waived) sql += " AND waiver_id IS NULL";
    sql += " ORDER BY f.id";
    if (filter.limit > 0) {
      sql += " LIMIT " + next_param(binds);
      binds.emplace_back(std::int64_t{filter.limit} + 1);
    }
    SQLite::Statement query(*db_, sql);
    bind_all(query, binds);
    query.bind(":today", today.iso());
    std::size_t seen = 0;
    std::int64_t last_id = 0;
    while (query.executeStep()) {
      if (filter.limit > 0 && seen == static_cast<std::size_t>(filter.limit)) return last_id;
      const auto record = read_finding(query);
      last_id = record.id;
      ++seen;
      visit(record);
    }
    return std::int64_t{0};
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<std::optional<model::FindingRecord>> Queries::finding(std::int64_t id,
                                                                   core::Date today) {
  try {
    SQLite::Statement query(*db_, "SELECT " + std::string(kFindingColumns) + " WHERE f.id = :id");
    query.bind(":id", id);
    query.bind(":today", today.iso());
    if (!query.executeStep()) return std::optional<model::FindingRecord>();
    return std::optional<model::FindingRecord>(read_finding(query));
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<std::vector<model::FindingEvent>> Queries::events(std::int64_t finding_id) {
  try {
    SQLite::Statement query(*db_,
                            "SELECT id, finding_id, at, user, from_status, to_status, note, "
                            "reason_code FROM finding_events WHERE finding_id = ? ORDER BY id");
    query.bind(1, finding_id);
    std::vector<model::FindingEvent> events;
    while (query.executeStep()) {
      model::FindingEvent event;
      event.id = query.getColumn(0).getInt64();
      event.finding_id = query.getColumn(1).getInt64();
      event.at = text(query, 2);
      event.user = text(query, 3);
      event.old_status = model::parse_finding_status(text(query, 4));
      event.new_status =
          model::parse_finding_status(text(query, 5)).value_or(model::FindingStatus::kOpen);
      event.note = text(query, 6);
      event.reason_code = text(query, 7);
      events.push_back(std::move(event));
    }
    return events;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

namespace {

constexpr std::string_view kClaimSelect =
    "SELECT c.id, c.claim_id, c.claim_key, c.kind, c.payer_kind, c.frequency_code, "
    "c.billing_provider, c.service_from, c.service_to, "
    "CASE WHEN json_valid(claim_json(c.claim_json, c.claim_json_zstd)) THEN "
    "json_extract(claim_json(c.claim_json, c.claim_json_zstd), '$.total_charge') END, "
    "fi.id, fi.name, c.position, "
    "CASE WHEN json_valid(claim_json(c.claim_json, c.claim_json_zstd)) THEN (SELECT "
    "group_concat(json_extract(d.value, '$.code') || CASE WHEN " CLAIMAUDIT_DIAGNOSIS_IS_ICD9
    " THEN '/icd9' ELSE '' END, ' ') FROM "
    "json_each(claim_json(c.claim_json, c.claim_json_zstd), '$.diagnoses') d) END "
    "FROM claims c JOIN files fi ON fi.id = c.file_id ";
#undef CLAIMAUDIT_DIAGNOSIS_IS_ICD9

constexpr std::string_view kIcd9Mark = "/icd9";

model::ClaimRecord read_claim(SQLite::Statement& query) {
  model::ClaimRecord claim;
  claim.id = query.getColumn(0).getInt64();
  claim.claim_id = text(query, 1);
  claim.claim_key = text(query, 2);
  claim.kind = model::parse_claim_kind(text(query, 3)).value_or(model::ClaimKind::kUnknown);
  claim.payer_kind = model::parse_payer_kind(text(query, 4)).value_or(model::PayerKind::kUnknown);
  claim.frequency_code = text(query, 5);
  claim.billing_npi = text(query, 6);
  claim.service_from = core::parse_iso_date(text(query, 7));
  claim.service_to = core::parse_iso_date(text(query, 8));
  claim.total_charge = text(query, 9);
  claim.file_id = query.getColumn(10).getInt64();
  claim.file_name = text(query, 11);
  claim.position = query.getColumn(12).getInt();
  // Diagnoses come as a space- or comma-separated list of normalised codes, each followed by
  // "/icd9" when sent as ICD-9-CM.
  const std::string codes = text(query, 13);
  std::size_t start = 0;
  while (start < codes.size()) {
    auto end = codes.find_first_of(" ,", start);
    if (end == std::string::npos) end = codes.size();
    if (end > start) {
      std::string_view code(codes.data() + start, end - start);
      const bool icd9 = code.ends_with(kIcd9Mark);
      if (icd9) code.remove_suffix(kIcd9Mark.size());
      claim.diagnoses.emplace_back(code);
      claim.diagnosis_code_systems.push_back(icd9 ? model::CodeSystem::kIcd9Cm
                                                  : model::CodeSystem::kUnknown);
    }
    start = end + 1;
  }
  return claim;
}

}  // namespace

core::Result<std::vector<model::ClaimRecord>> Queries::claims(const std::string& claim_id) {
  try {
    SQLite::Statement query(*db_,
                            std::string(kClaimSelect) + "WHERE c.claim_id = ? ORDER BY c.id DESC");
    query.bind(1, claim_id);
    std::vector<model::ClaimRecord> claims;
    while (query.executeStep()) claims.push_back(read_claim(query));
    return claims;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<std::optional<model::ClaimRecord>> Queries::claim_by_row(std::int64_t claim_row) {
  try {
    SQLite::Statement query(*db_, std::string(kClaimSelect) + "WHERE c.id = ?");
    query.bind(1, claim_row);
    if (!query.executeStep()) return std::optional<model::ClaimRecord>();
    return std::optional<model::ClaimRecord>(read_claim(query));
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<std::optional<FindingSource>> Queries::finding_source(std::int64_t id) {
  try {
    SQLite::Statement query(
        *db_,
        "SELECT fi.stored_path, fi.name, fi.drop_dir, fi.sha256, c.fingerprint, "
        "c.position FROM findings f JOIN claims c ON c.id = f.claim_ref "
        "JOIN files fi ON fi.id = c.file_id WHERE f.id = ?");
    query.bind(1, id);
    if (!query.executeStep()) return std::optional<FindingSource>();
    FindingSource source;
    source.stored_path = text(query, 0);
    source.file_name = text(query, 1);
    source.drop_dir = text(query, 2);
    source.file_sha256 = text(query, 3);
    source.claim_fingerprint = text(query, 4);
    source.position = query.getColumn(5).getInt64();
    return std::optional<FindingSource>(std::move(source));
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<std::vector<model::FindingRecord>> Queries::claim_findings(std::int64_t claim_row,
                                                                        core::Date today) {
  try {
    SQLite::Statement query(
        *db_, "SELECT " + std::string(kFindingColumns) + " WHERE f.claim_ref = :row ORDER BY f.id");
    query.bind(":row", claim_row);
    query.bind(":today", today.iso());
    std::vector<model::FindingRecord> findings;
    while (query.executeStep()) findings.push_back(read_finding(query));
    return findings;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<std::vector<model::RuleCounts>> Queries::rule_counts(core::Date today) {
  try {
    SQLite::Statement query(*db_, R"(
      SELECT f.rule_id, count(*),
        sum(f.status IN ('open', 'in_review', 'reopened')),
        sum(f.status = 'corrected'),
        sum(f.status = 'waived' OR EXISTS (
          SELECT 1 FROM waivers w JOIN claims c ON c.id = f.claim_ref
           WHERE w.rule_id = f.rule_id AND w.expires >= :today
             AND f.status IN ('open', 'in_review', 'reopened')
             AND ((w.scope = 'payer_kind' AND w.value = c.payer_kind)
               OR (w.scope = 'billing_provider' AND w.value = c.billing_provider)
               OR (w.scope = 'code' AND w.value = f.code)
               OR (w.scope = 'claim' AND w.value = c.claim_id)))),
        sum(f.status = 'false_positive'),
        sum(f.status = 'superseded'),
        sum(f.mode = 'shadow')
      FROM findings f GROUP BY f.rule_id ORDER BY f.rule_id)");
    query.bind(":today", today.iso());
    std::vector<model::RuleCounts> counts;
    while (query.executeStep()) {
      model::RuleCounts row;
      row.rule_id = text(query, 0);
      row.fired = query.getColumn(1).getInt64();
      row.open = query.getColumn(2).getInt64();
      row.corrected = query.getColumn(3).getInt64();
      row.waived = query.getColumn(4).getInt64();
      row.false_positive = query.getColumn(5).getInt64();
      row.superseded = query.getColumn(6).getInt64();
      row.shadow = query.getColumn(7).getInt64();
      counts.push_back(std::move(row));
    }
    return counts;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<std::vector<model::Waiver>> Queries::waivers(core::Date today) {
  try {
    SQLite::Statement query(*db_,
                            "SELECT id, rule_id, scope, value, owner, reason, expires, "
                            "created_by, created_at FROM waivers ORDER BY id DESC");
    std::vector<model::Waiver> waivers;
    while (query.executeStep()) {
      model::Waiver waiver;
      waiver.id = query.getColumn(0).getInt64();
      waiver.rule_id = text(query, 1);
      waiver.scope = model::parse_waiver_scope(text(query, 2)).value_or(model::WaiverScope::kClaim);
      waiver.value = text(query, 3);
      waiver.owner = text(query, 4);
      waiver.reason = text(query, 5);
      waiver.expires = core::parse_iso_date(text(query, 6)).value_or(core::Date());
      waiver.created_by = text(query, 7);
      waiver.created_at = text(query, 8);
      waiver.expired = waiver.expires < today;
      waivers.push_back(std::move(waiver));
    }
    return waivers;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<Totals> Queries::totals(core::Date today) {
  try {
    Totals totals;
    {
      SQLite::Statement query(
          *db_,
          "SELECT count(*), sum(outcome = 'archived'), "
          "sum(outcome = 'quarantined'), sum(state = 'in_progress') FROM files");
      query.executeStep();
      totals.files = query.getColumn(0).getInt64();
      totals.files_archived = query.getColumn(1).getInt64();
      totals.files_quarantined = query.getColumn(2).getInt64();
      totals.files_in_progress = query.getColumn(3).getInt64();
    }
    {
      SQLite::Statement query(*db_, "SELECT count(*) FROM claims");
      query.executeStep();
      totals.claims = query.getColumn(0).getInt64();
    }
    {
      SQLite::Statement query(*db_, "SELECT count(*) FROM findings");
      query.executeStep();
      totals.findings = query.getColumn(0).getInt64();
    }
    std::string sql = "SELECT count(*) FROM (SELECT ";
    sql += kFindingColumns;
    sql +=
        " WHERE f.status IN ('open', 'in_review', 'reopened') AND f.mode = 'enforce' "
        "AND waiver_id IS NULL)";
    SQLite::Statement query(*db_, sql);
    query.bind(":today", today.iso());
    query.executeStep();
    totals.findings_open = query.getColumn(0).getInt64();
    return totals;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<std::vector<Queries::FindingCount>> Queries::finding_counts() {
  try {
    SQLite::Statement query(*db_,
                            "SELECT rule_id, severity, count(*) FROM findings GROUP BY 1, 2 "
                            "ORDER BY 1, 2");
    std::vector<FindingCount> counts;
    while (query.executeStep()) {
      counts.push_back({text(query, 0), text(query, 1), query.getColumn(2).getInt64()});
    }
    return counts;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<std::vector<ReportRow>> Queries::report() {
  try {
    SQLite::Statement query(*db_, R"(
      SELECT f.rule_id, c.payer_kind, coalesce(substr(c.service_from, 1, 7), ''), f.mode,
        count(*), sum(f.status = 'false_positive'), sum(f.status = 'waived'),
        sum(f.status = 'corrected')
      FROM findings f JOIN claims c ON c.id = f.claim_ref
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4)");
    std::vector<ReportRow> rows;
    while (query.executeStep()) {
      ReportRow row;
      row.rule_id = text(query, 0);
      row.payer_kind = text(query, 1);
      row.month = text(query, 2);
      row.mode = text(query, 3);
      row.findings = query.getColumn(4).getInt64();
      row.false_positive = query.getColumn(5).getInt64();
      row.waived = query.getColumn(6).getInt64();
      row.corrected = query.getColumn(7).getInt64();
      rows.push_back(std::move(row));
    }
    return rows;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

}  // namespace claimaudit::store
