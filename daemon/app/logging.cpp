#include "app/logging.hpp"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>

#include <cstdio>
#include <mutex>
#include <string_view>
#include <vector>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-journal.h>

namespace claimaudit::app {
namespace {

int priority_of(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return LOG_DEBUG;
    case spdlog::level::info:
      return LOG_INFO;
    case spdlog::level::warn:
      return LOG_WARNING;
    case spdlog::level::err:
      return LOG_ERR;
    case spdlog::level::critical:
      return LOG_CRIT;
    default:
      return LOG_INFO;
  }
}

// journald with structured fields (sd_journal_sendv).
class JournaldSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    const std::string_view text(message.payload.data(), message.payload.size());
    std::vector<std::string> fields;
    fields.push_back("MESSAGE=" + std::string(text));
    fields.push_back("PRIORITY=" + std::to_string(priority_of(message.level)));
    fields.push_back("SYSLOG_IDENTIFIER=claimauditd");
    static constexpr std::pair<std::string_view, std::string_view> kKeys[] = {
        {"file=", "CLAIMAUDIT_FILE="},
        {"claim=", "CLAIMAUDIT_CLAIM_ID="},
        {"rule=", "CLAIMAUDIT_RULE_ID="}};
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view word = text.substr(start, end - start);
      for (const auto& [key, field] : kKeys) {
        if (word.size() > key.size() && word.substr(0, key.size()) == key) {
          fields.push_back(std::string(field) + std::string(word.substr(key.size())));
        }
      }
      start = end + 1;
    }
    std::vector<iovec> vectors;
    vectors.reserve(fields.size());
    for (std::string& field : fields) vectors.push_back({field.data(), field.size()});
    sd_journal_sendv(vectors.data(), static_cast<int>(vectors.size()));
  }
  void flush_() override {}
};

bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  struct stat info {};
  if (::fstat(2, &info) != 0) return false;
  unsigned long device = 0;
  unsigned long inode = 0;
  if (std::sscanf(stream, "%lu:%lu", &device, &inode) != 2) return false;
  return device == info.st_dev && inode == info.st_ino;
}

}  // namespace

void setup_logging(LogTarget target, const std::string& level) {
  const bool journald =
      target == LogTarget::kJournald || (target == LogTarget::kAuto && stderr_is_journal());
  std::shared_ptr<spdlog::logger> logger;
  if (journald) {
    logger = std::make_shared<spdlog::logger>("claimauditd", std::make_shared<JournaldSink>());
  } else {
    logger = std::make_shared<spdlog::logger>("claimauditd",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  }
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace claimaudit::app
