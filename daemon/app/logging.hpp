// app/logging.hpp
//
// The daemon's log sinks (only app/ sets sinks; other modules log through spdlog's default
// logger). journald gets structured fields taken from the message's key=value words: file= ->
// CLAIMAUDIT_FILE, claim= -> CLAIMAUDIT_CLAIM_ID, rule= -> CLAIMAUDIT_RULE_ID. Messages never
// carry PHI (core::Phi cannot be formatted). Call once, before other threads start.
#pragma once

#include <string>

#include "app/config.hpp"

namespace claimaudit::app {

// Installs the default logger for `target` (kAuto: journald when stderr is the journal, as
// JOURNAL_STREAM says) at `level` ("info"...).
void setup_logging(LogTarget target, const std::string& level);

}  // namespace claimaudit::app
