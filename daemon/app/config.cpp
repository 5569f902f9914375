#include "app/config.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <thread>

#include <yaml-cpp/yaml.h>

namespace claimaudit::app {
namespace {

#ifndef CLAIMAUDIT_SHIPPED_RULES_DIR
#define CLAIMAUDIT_SHIPPED_RULES_DIR "/usr/share/claimaudit/rules"
#endif

constexpr const char* kInstalledRulesDir = "/usr/share/claimaudit/rules";

class Parser {
 public:
  explicit Parser(std::string file_name) : file_(std::move(file_name)) {}

  void error(const YAML::Mark& mark, std::string code, std::string message) {
    core::SourceLocation where{file_, mark.line + 1, mark.column + 1, ""};
    diagnostics_.push_back(
        core::Diagnostic{core::Severity::kError, std::move(code), where, std::move(message)});
  }

  std::optional<std::string> scalar(const YAML::Node& node, std::string_view key) {
    if (!node.IsScalar()) {
      error(node.Mark(), "E-CONFIG-TYPE", std::string(key) + ": expected a single value");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<int> integer(const YAML::Node& node, std::string_view key, int min, int max) {
    const auto text = scalar(node, key);
    if (!text) return std::nullopt;
    try {
      std::size_t used = 0;
      const int value = std::stoi(*text, &used);
      if (used == text->size() && value >= min && value <= max) return value;
    } catch (const std::exception&) {
    }
    error(node.Mark(), "E-CONFIG-VALUE",
          std::string(key) + ": expected a whole number from " + std::to_string(min) + " to " +
              std::to_string(max));
    return std::nullopt;
  }

  void parse_drop(const YAML::Node& node, Config& config) {
    if (!node.IsMap()) {
      error(node.Mark(), "E-CONFIG-TYPE", "drop_dirs: each entry is a mapping with a path");
      return;
    }
    DropDirectory drop;
    bool has_path = false;
    for (const auto& item : node) {
      const std::string key = item.first.as<std::string>();
      const YAML::Node& value = item.second;
      if (key == "path") {
        if (auto text = scalar(value, key)) {
          drop.path = *text;
          has_path = true;
        }
      } else if (key == "name") {
        if (auto text = scalar(value, key)) drop.name = *text;
      } else if (key == "payer_kind") {
        parse_payer_kind(value, key, drop);
      } else if (key == "claim_kind") {
        parse_claim_kind(value, key, drop);
      } else {
        error(item.first.Mark(), "E-CONFIG-UNKNOWN-KEY",
              "drop_dirs: unknown key '" + key + "' (known: path, name, payer_kind, claim_kind)");
      }
    }
    if (!has_path) error(node.Mark(), "E-CONFIG-VALUE", "drop_dirs: entry without a path");
    config.drop_dirs.push_back(std::move(drop));
  }

  void parse_payer_kind(const YAML::Node& value, const std::string& key, DropDirectory& drop) {
    const auto text = scalar(value, key);
    if (!text) return;
    drop.payer_kind = model::parse_payer_kind(*text);
    if (!drop.payer_kind) {
      error(value.Mark(), "E-CONFIG-VALUE",
            "payer_kind: '" + *text +
                "' is not one of medicare, medicaid, commercial, workers_comp, auto, "
                "liability, tricare, va, other");
    }
  }

  void parse_claim_kind(const YAML::Node& value, const std::string& key, DropDirectory& drop) {
    const auto text = scalar(value, key);
    if (!text) return;
    drop.claim_kind = model::parse_claim_kind(*text);
    if (!drop.claim_kind) {
      error(value.Mark(), "E-CONFIG-VALUE",
            "claim_kind: '" + *text +
                "' is not one of professional, institutional, oral, vision, pharmacy");
    }
  }

  // The socket's group settings, which are plain words.
  static std::string Config::*socket_group_field(const std::string& key) {
    if (key == "group") return &Config::socket_group;
    if (key == "read_group") return &Config::read_group;
    if (key == "review_group") return &Config::review_group;
    if (key == "admin_group") return &Config::admin_group;
    return nullptr;
  }

  void parse_socket(const YAML::Node& node, Config& config) {
    if (!node.IsMap()) {
      error(node.Mark(), "E-CONFIG-TYPE", "socket: expected a mapping (path, group)");
      return;
    }
    for (const auto& item : node) {
      const std::string key = item.first.as<std::string>();
      if (key == "path") {
        if (auto text = scalar(item.second, key)) config.socket_path = *text;
      } else if (const auto field = socket_group_field(key)) {
        if (auto text = scalar(item.second, key)) config.*field = *text;
      } else if (key == "max_connections") {
        if (auto number = integer(item.second, key, 1, 100000)) config.max_connections = *number;
      } else if (key == "reason_codes") {
        parse_reason_codes(item.second, key, config);
      } else {
        error(item.first.Mark(), "E-CONFIG-UNKNOWN-KEY",
              "socket: unknown key '" + key +
                  "' (known: path, group, read_group, review_group, admin_group, "
                  "max_connections, reason_codes)");
      }
    }
  }

  void parse_reason_codes(const YAML::Node& value, const std::string& key, Config& config) {
    if (!value.IsSequence()) {
      error(value.Mark(), "E-CONFIG-TYPE", "reason_codes: expected a list of words");
      return;
    }
    config.reason_codes.clear();
    for (const auto& entry : value) {
      if (auto text = scalar(entry, key)) config.reason_codes.push_back(*text);
    }
  }

  // The whole-number settings at the top level and their ranges.
  struct IntegerSetting {
    const char* key;
    int Config::*field;
    int min;
    int max;
  };
  static const IntegerSetting* integer_setting(const std::string& key) {
    static const IntegerSetting kSettings[] = {
        {"workers", &Config::workers, 0, 256},
        {"batch_size", &Config::batch_size, 1, 1000000},
        {"max_in_flight", &Config::max_in_flight, 0, 100000},
        {"store_cache_mib", &Config::store_cache_mib, 1, 4096},
    };
    for (const auto& setting : kSettings) {
      if (key == setting.key) return &setting;
    }
    return nullptr;
  }

  void parse_root(const YAML::Node& root, Config& config) {
    if (root.IsNull()) return;  // An empty file: every default.
    if (!root.IsMap()) {
      error(root.Mark(), "E-CONFIG-TYPE", "the configuration must be a mapping");
      return;
    }
    for (const auto& item : root) {
      const std::string key = item.first.as<std::string>();
      const YAML::Node& value = item.second;
      if (key == "state_dir") {
        if (auto text = scalar(value, key)) config.state_dir = *text;
      } else if (key == "drop_dirs") {
        parse_drops(value, config);
      } else if (key == "rule_dirs") {
        parse_rule_dirs(value, key, config);
      } else if (const IntegerSetting* setting = integer_setting(key)) {
        if (auto number = integer(value, key, setting->min, setting->max)) {
          config.*(setting->field) = *number;
        }
      } else if (key == "log_level") {
        parse_log_level(value, key, config);
      } else if (key == "log_target") {
        parse_log_target(value, key, config);
      } else if (key == "socket") {
        parse_socket(value, config);
      } else {
        error(item.first.Mark(), "E-CONFIG-UNKNOWN-KEY",
              "unknown key '" + key +
                  "' (known: state_dir, drop_dirs, rule_dirs, workers, batch_size, "
                  "max_in_flight, store_cache_mib, log_level, log_target, socket)");
      }
    }
  }

  void parse_drops(const YAML::Node& value, Config& config) {
    if (!value.IsSequence()) {
      error(value.Mark(), "E-CONFIG-TYPE", "drop_dirs: expected a list");
      return;
    }
    for (const auto& entry : value) parse_drop(entry, config);
  }

  void parse_rule_dirs(const YAML::Node& value, const std::string& key, Config& config) {
    if (!value.IsSequence()) {
      error(value.Mark(), "E-CONFIG-TYPE", "rule_dirs: expected a list of directories");
      return;
    }
    for (const auto& entry : value) {
      if (auto text = scalar(entry, key)) config.rule_dirs.emplace_back(*text);
    }
  }

  void parse_log_level(const YAML::Node& value, const std::string& key, Config& config) {
    const auto text = scalar(value, key);
    if (!text) return;
    static const std::vector<std::string> kLevels{"trace", "debug",    "info", "warn",
                                                  "error", "critical", "off"};
    if (std::find(kLevels.begin(), kLevels.end(), *text) == kLevels.end()) {
      error(value.Mark(), "E-CONFIG-VALUE",
            "log_level: '" + *text +
                "' is not one of trace, debug, info, warn, error, critical, off");
    } else {
      config.log_level = *text;
    }
  }

  void parse_log_target(const YAML::Node& value, const std::string& key, Config& config) {
    const auto text = scalar(value, key);
    if (!text) return;
    if (*text == "auto") {
      config.log_target = LogTarget::kAuto;
    } else if (*text == "stderr") {
      config.log_target = LogTarget::kStderr;
    } else if (*text == "journald") {
      config.log_target = LogTarget::kJournald;
    } else {
      error(value.Mark(), "E-CONFIG-VALUE",
            "log_target: '" + *text + "' is not one of auto, stderr, journald");
    }
  }

  std::vector<core::Diagnostic> take() { return std::move(diagnostics_); }

 private:
  std::string file_;
  std::vector<core::Diagnostic> diagnostics_;
};

// A YAML scalar: bare when it is plainly safe, else double-quoted with escapes.
std::string yaml_scalar(const std::filesystem::path& path) {
  std::string text = path.string();
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '.' || c == '_' ||
           c == '-';
  });
  if (plain) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

ConfigResult parse_config(std::string_view text, const std::string& file_name) {
  ConfigResult result;
  Config config;
  config.source = file_name;
  Parser parser(file_name);
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    parser.parse_root(root, config);
  } catch (const YAML::Exception& error) {
    parser.error(error.mark, "E-CONFIG-SYNTAX", error.msg);
  }
  result.diagnostics = parser.take();
  if (!core::has_errors(result.diagnostics)) result.config = std::move(config);
  return result;
}

ConfigResult load_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigResult result;
    result.diagnostics.push_back({core::Severity::kError,
                                  "E-CONFIG-READ",
                                  {path.string(), 0, 0, ""},
                                  "cannot read the configuration file"});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path.string());
}

Config default_config() { return Config{}; }

void resolve(Config& config, const std::optional<std::filesystem::path>& state_dir_override) {
  if (state_dir_override) config.state_dir = *state_dir_override;
  config.state_dir = std::filesystem::absolute(config.state_dir).lexically_normal();
  if (config.drop_dirs.empty()) config.drop_dirs.push_back(DropDirectory{});
  for (DropDirectory& drop : config.drop_dirs) {
    if (drop.path.empty()) drop.path = "inbox";
    if (drop.path.is_relative()) drop.path = config.state_dir / drop.path;
    drop.path = drop.path.lexically_normal();
    if (drop.name.empty()) {
      drop.name = drop.path.has_filename() ? drop.path.filename().string()
                                           : drop.path.parent_path().filename().string();
    }
  }
  if (config.rule_dirs.empty()) {
    std::error_code error;
    const std::filesystem::path shipped = CLAIMAUDIT_SHIPPED_RULES_DIR;
    config.rule_dirs.push_back(std::filesystem::is_directory(shipped, error) ? shipped
                                                                             : kInstalledRulesDir);
    config.rule_dirs.push_back(config.state_dir / "rules.d");
  }
  for (auto& directory : config.rule_dirs) {
    if (directory.is_relative()) directory = config.state_dir / directory;
    directory = directory.lexically_normal();
  }
  if (config.workers <= 0) {
    config.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (config.max_in_flight <= 0) config.max_in_flight = 2 * config.workers;
  if (config.socket_path.empty()) config.socket_path = config.state_dir / "claimauditd.sock";
  if (config.socket_path.is_relative()) config.socket_path = config.state_dir / config.socket_path;
}

std::string describe(const Config& config) {
  std::ostringstream out;
  out << "# claimauditd effective configuration"
      << (config.source.empty() ? std::string(" (embedded default)")
                                : " (from " + config.source.string() + ")")
      << "\n";
  out << "state_dir: " << yaml_scalar(config.state_dir) << "\n";
  out << "drop_dirs:\n";
  for (const DropDirectory& drop : config.drop_dirs) {
    out << "  - path: " << yaml_scalar(drop.path) << "\n";
    out << "    name: " << yaml_scalar(drop.name) << "\n";
    if (drop.payer_kind) out << "    payer_kind: " << model::to_string(*drop.payer_kind) << "\n";
    if (drop.claim_kind) out << "    claim_kind: " << model::to_string(*drop.claim_kind) << "\n";
  }
  out << "rule_dirs:\n";
  for (const auto& directory : config.rule_dirs) out << "  - " << yaml_scalar(directory) << "\n";
  out << "workers: " << config.workers << "\n";
  out << "batch_size: " << config.batch_size << "\n";
  out << "max_in_flight: " << config.max_in_flight << "\n";
  out << "store_cache_mib: " << config.store_cache_mib << "\n";
  out << "log_level: " << config.log_level << "\n";
  out << "log_target: "
      << (config.log_target == LogTarget::kAuto     ? "auto"
          : config.log_target == LogTarget::kStderr ? "stderr"
                                                    : "journald")
      << "\n";
  out << "socket:\n";
  out << "  path: " << yaml_scalar(config.socket_path) << "\n";
  if (!config.socket_group.empty()) out << "  group: " << yaml_scalar(config.socket_group) << "\n";
  out << "  read_group: " << yaml_scalar(config.read_group) << "\n";
  out << "  review_group: " << yaml_scalar(config.review_group) << "\n";
  out << "  admin_group: " << yaml_scalar(config.admin_group) << "\n";
  out << "  max_connections: " << config.max_connections << "\n";
  out << "  reason_codes: [";
  for (std::size_t i = 0; i < config.reason_codes.size(); ++i) {
    out << (i == 0 ? "" : ", ") << yaml_scalar(config.reason_codes[i]);
  }
  out << "]\n";
  out << "# derived: processing " << yaml_scalar(config.processing_dir()) << ", archive "
      << yaml_scalar(config.archive_dir()) << ", quarantine "
      << yaml_scalar(config.quarantine_dir()) << ", database "
      << yaml_scalar(config.database_path()) << "\n";
  return out.str();
}

}  // namespace claimaudit::app
